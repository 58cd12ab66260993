using Courier.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Ssh;

/// <summary>
/// One <c>ssh -M -N</c> process holding a connection open, its control socket, and the runs using it. The process
/// is Courier's child: it is killed and waited for when closed, so it never outlives the pool.
/// </summary>
internal sealed partial class SshMasterConnection
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly OutputTail _standardError = new(4096);
    private readonly string _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _connectTimeoutSeconds;
    private Task _process = Task.CompletedTask;
    private int _leases;
    private long _lastUsedTicks;
    private volatile bool _abandoned;
    private volatile string? _loginFailure;

    private SshMasterConnection(string destination, string socket, int connectTimeoutSeconds, TimeProvider time, ILogger logger)
    {
        _time = time;
        Destination = destination;
        _socket = socket;
        _connectTimeoutSeconds = connectTimeoutSeconds;
        _logger = logger;
        _lastUsedTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>The <c>user@host</c> it connects to, for logs.</summary>
    public string Destination { get; }

    /// <summary>Whether the ssh process has ended (or never became a master, or was given up).</summary>
    public bool HasEnded => _abandoned || _process.IsCompleted || (_ready.Task.IsCompleted && !_ready.Task.Result);

    /// <summary>Whether it logged in but its control socket is gone (removed under it): runs could not use it.</summary>
    public bool LostItsSocket => _ready.Task.IsCompletedSuccessfully && _ready.Task.Result && !File.Exists(_socket);

    /// <summary>When it ended without ever logging in, quickly (the target refuses, or the key is wrong), or null.</summary>
    public DateTimeOffset? FailedAt { get; private set; }

    /// <summary>How long a new connection may take to log in: connect (ssh's ConnectTimeout), then log in.</summary>
    private TimeSpan LoginDeadline => TimeSpan.FromSeconds(2 * _connectTimeoutSeconds);

    /// <summary>Starts <c>ssh -M -N</c> to <paramref name="destination"/>; it is ended when not logged in within twice <paramref name="connectTimeoutSeconds"/>.</summary>
    public static SshMasterConnection Start(ProcessRunner processes, string sshExecutable, IReadOnlyList<string> sshArguments, string destination, string socket, int connectTimeoutSeconds, TimeProvider time, ILogger logger)
    {
        var connection = new SshMasterConnection(destination, socket, connectTimeoutSeconds, time, logger);
        connection.Run(processes, sshExecutable, sshArguments);
        return connection;
    }

    /// <summary>How long no run has used it; zero while one does.</summary>
    public TimeSpan IdleSince(DateTimeOffset now) =>
        Volatile.Read(ref _leases) > 0 ? TimeSpan.Zero : now - new DateTimeOffset(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>
    /// A lease on the connection once it has logged in. When it could not, within its login deadline: a
    /// <see cref="SshConnectionUse.Failed"/> use when it ran out of time (the run's connect budget is spent), else
    /// <see cref="SshConnectionUse.Direct"/> (and when busy), so the run connects on its own and reports what it meets.
    /// </summary>
    public async Task<SshConnectionUse> LeaseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _leases) > SshConnectionPool.MaxSessionsPerConnection)
        {
            Release();
            return SshConnectionUse.Direct;
        }

        bool ready;
        try
        {
            // Bounded by the login deadline, at which the connection is ended and the task completes.
            ready = await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Release();
            throw;
        }

        if (!ready || HasEnded)
        {
            Release();
            return _loginFailure is { } failure ? SshConnectionUse.Failed(failure) : SshConnectionUse.Direct;
        }

        return new SshConnectionUse(["-o", $"ControlPath={_socket}", "-o", "ControlMaster=no"], Release, Abandon);
    }

    /// <summary>A run through it hung: it is ended (and reaped) so that what it holds of that run is let go.</summary>
    public void Abandon()
    {
        if (_abandoned)
        {
            return;
        }

        _abandoned = true;
        LogAbandoned(Destination);
        _ = CloseAsync().AsTask();
    }

    /// <summary>Kills the process, waits for it, and removes its socket.</summary>
    public async ValueTask CloseAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _process.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Ended as asked, or could not start: either way nothing runs now.
        }

        _ready.TrySetResult(false);
        DeleteSocket();
    }

    /// <summary>A connection that has not logged in by its deadline (a login that stalls after the banner) is ended.</summary>
    private async Task EnforceLoginDeadlineAsync()
    {
        try
        {
            await _ready.Task.WaitAsync(LoginDeadline, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _loginFailure = $"ssh to {Destination} did not log in within twice Courier:Ssh:ConnectTimeoutSeconds ({LoginDeadline.TotalSeconds:0} s); it was ended.";
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>ssh creates the control socket once it is logged in; until then runs wait, and if it never does, they connect on their own.</summary>
    private async Task WatchReadinessAsync()
    {
        try
        {
            while (!_process.IsCompleted && !_stop.IsCancellationRequested)
            {
                if (File.Exists(_socket))
                {
                    _ready.TrySetResult(true);
                    return;
                }

                await Task.Delay(20, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        _ready.TrySetResult(false);
    }

    private string[] DestinationArguments()
    {
        var at = Destination.LastIndexOf('@');
        return at < 0 ? ["--", Destination] : ["-l", Destination[..at], "--", Destination[(at + 1)..]];
    }

    private void Release()
    {
        Interlocked.Exchange(ref _lastUsedTicks, _time.GetUtcNow().UtcTicks);
        Interlocked.Decrement(ref _leases);
    }

    private void DeleteSocket()
    {
        try
        {
            File.Delete(_socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover socket only makes ssh connect on its own.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shared ssh connection to {Destination} ended with exit code {ExitCode}: {SshSaid}")]
    private partial void LogEnded(string destination, int exitCode, string sshSaid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending the shared ssh connection to {Destination}: a run through it hung")]
    private partial void LogAbandoned(string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start a shared ssh connection to {Destination}: {Error}")]
    private partial void LogFailed(string destination, string error);
}
