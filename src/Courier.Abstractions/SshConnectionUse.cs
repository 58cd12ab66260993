namespace Courier;

/// <summary>
/// One ssh run's use of the connection Courier keeps open to a target (see
/// <see cref="ISshCommandBuilder.ShareConnectionAsync"/>): the options that route the run over it. Dispose it when
/// the run has ended. With no <see cref="Arguments"/>, the run connects on its own, unless <see cref="LoginFailure"/>
/// says that the target did not let a connection in within the connect budget.
/// </summary>
public sealed class SshConnectionUse : IDisposable
{
    private Action? _release;
    private Action? _abandon;

    /// <summary>A use of a shared connection; <paramref name="release"/> runs once, on disposal.</summary>
    /// <param name="arguments">The options to add to the run's ssh command line.</param>
    /// <param name="release">What ends the use, or null.</param>
    public SshConnectionUse(IReadOnlyList<string> arguments, Action? release)
        : this(arguments, release, abandon: null)
    {
    }

    /// <summary>A use of a shared connection that can also be ended as a whole (<see cref="Abandon"/>).</summary>
    /// <param name="arguments">The options to add to the run's ssh command line.</param>
    /// <param name="release">What ends the use, or null.</param>
    /// <param name="abandon">What ends the shared connection itself, or null.</param>
    public SshConnectionUse(IReadOnlyList<string> arguments, Action? release, Action? abandon)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Arguments = arguments;
        _release = release;
        _abandon = abandon;
    }

    /// <summary>No shared connection: the run connects on its own.</summary>
    public static SshConnectionUse Direct { get; } = new([], null);

    /// <summary>The options to add to the run's ssh command line (none when it connects on its own).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// Why the target could not be logged in to within <c>Courier:Ssh:ConnectTimeoutSeconds</c> (the shared
    /// connection tried and ran out of time), or null. When set, the run should fail with this message rather than
    /// connect on its own, which would spend the same budget a second time.
    /// </summary>
    public string? LoginFailure { get; private init; }

    /// <summary>No shared connection, and none worth opening: the target did not let one in in time.</summary>
    /// <param name="loginFailure">Why, naming the deadline, for the run's error.</param>
    public static SshConnectionUse Failed(string loginFailure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(loginFailure);
        return new SshConnectionUse([], null) { LoginFailure = loginFailure };
    }

    /// <summary>
    /// Ends the shared connection itself, with every run still going through it. Call it when a run through it hung
    /// (a deadline fired, or the run ended while its output stayed open): OpenSSH's master keeps a session's standard
    /// error open until the server ends the session, which a hung remote command never does, and a stalled master
    /// holds the whole session. The next run opens a new connection.
    /// </summary>
    public void Abandon() => Interlocked.Exchange(ref _abandon, null)?.Invoke();

    /// <summary>Ends the use; the connection stays open for the next run until it is idle.</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
