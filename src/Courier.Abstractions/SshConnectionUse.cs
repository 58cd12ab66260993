namespace Courier;

/// <summary>
/// One ssh run's use of the connection Courier keeps open to a target (see
/// <see cref="ISshCommandBuilder.ShareConnectionAsync"/>): the options that route the run over it. Dispose it when
/// the run has ended. With no <see cref="Arguments"/>, the run connects on its own.
/// </summary>
public sealed class SshConnectionUse : IDisposable
{
    private Action? _release;

    /// <summary>A use of a shared connection; <paramref name="release"/> runs once, on disposal.</summary>
    /// <param name="arguments">The options to add to the run's ssh command line.</param>
    /// <param name="release">What ends the use, or null.</param>
    public SshConnectionUse(IReadOnlyList<string> arguments, Action? release)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Arguments = arguments;
        _release = release;
    }

    /// <summary>No shared connection: the run connects on its own.</summary>
    public static SshConnectionUse Direct { get; } = new([], null);

    /// <summary>The options to add to the run's ssh command line (none when it connects on its own).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Ends the use; the connection stays open for the next run until it is idle.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
