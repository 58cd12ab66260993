namespace Courier.Core.Cluster;

/// <summary>
/// The fencing token of the cluster lock the current source run holds, for the deliveries it makes. Ambient because
/// the lock is taken around the whole run (pull, validation, rollout waves, rollback) and every delivery in it carries
/// the same token; passing it down every layer would thread one number through each of them.
/// </summary>
internal static class FencingScope
{
    private static readonly AsyncLocal<long?> Token = new();

    /// <summary>The token of the lock held by the run this code is part of; null outside one, or on a single node.</summary>
    public static long? Current => Token.Value;

    /// <summary>Runs <paramref name="run"/> with <see cref="Current"/> set to <paramref name="token"/>.</summary>
    /// <remarks>The value set here flows into <paramref name="run"/> and not back out: an async method restores its caller's.</remarks>
    public static async Task<T> RunAsync<T>(long? token, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Token.Value = token;
        return await run().ConfigureAwait(false);
    }
}
