namespace Courier;

/// <summary>What one transfer did.</summary>
/// <param name="Target">The hermes address as people read it.</param>
/// <param name="Succeeded">Whether rsync finished with exit code 0.</param>
/// <param name="ExitCode">rsync's exit code (-1 when it never ran).</param>
/// <param name="Error">What went wrong, for people.</param>
/// <param name="BytesSent">Bytes rsync reported sending.</param>
/// <param name="Duration">How long it took.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record TransferResult(string Target, bool Succeeded, int ExitCode, string? Error, long BytesSent, TimeSpan Duration)
{
    /// <summary>The same outcome as a <see cref="DeliveryResult"/>.</summary>
    public DeliveryResult ToDeliveryResult() => new(Target, Succeeded, Error, BytesSent, Duration) { Attempts = Attempts, Changes = Changes };

    /// <summary>How many times the transfer was tried (retries of transient failures included).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>In a dry run that succeeded, what a push would change in the target directory; null otherwise.</summary>
    public FileChanges? Changes { get; init; }
}
