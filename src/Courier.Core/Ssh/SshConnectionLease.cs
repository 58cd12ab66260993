namespace Courier.Core.Ssh;

/// <summary>The ssh options of one run over a shared connection (none: connect directly); disposing ends the use.</summary>
internal sealed class SshConnectionLease(IReadOnlyList<string> arguments, Action? release) : IDisposable
{
    private Action? _release = release;

    /// <summary>No shared connection: the run connects on its own.</summary>
    public static SshConnectionLease Direct { get; } = new([], null);

    /// <summary>The options to add to the run's ssh command line.</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
