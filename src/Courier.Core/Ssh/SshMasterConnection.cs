using System.Text;
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
    private readonly StringBuilder _standardError = new();
    private readonly string _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private Task _process = Task.CompletedTask;
    private int _leases;
    private long _lastUsedTicks;

    private SshMasterConnection(string destination, string socket, TimeProvider time, ILogger logger)
    {
        _time = time;
        Destination = destination;
        _socket = socket;
        _logger = logger;
        _lastUsedTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>The <c>user@host</c> it connects to, for logs.</summary>
    public string Destination { get; }

    /// <summary>Whether the ssh process has ended (or never became a master).</summary>
    public bool HasEnded => _process.IsCompleted || (_ready.Task.IsCompleted && !_ready.Task.Result);

    /// <summary>When it ended without ever logging in (the target is down or refuses), or null.</summary>
    public DateTimeOffset? FailedAt { get; private set; }

    public static SshMasterConnection Start(string sshExecutable, IReadOnlyList<string> sshArguments, string destination, string socket, TimeProvider time, ILogger logger)
    {
        var connection = new SshMasterConnection(destination, socket, time, logger);
        connection.Run(sshExecutable, sshArguments);
        return connection;
    }

    /// <summary>How long no run has used it; zero while one does.</summary>
    public TimeSpan IdleSince(DateTimeOffset now) =>
        Volatile.Read(ref _leases) > 0 ? TimeSpan.Zero : now - new DateTimeOffset(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>A lease on the connection once it is ready; <see cref="SshConnectionUse.Direct"/> when busy, dead or not ready within <paramref name="wait"/>.</summary>
    public async Task<SshConnectionUse> LeaseAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _leases) > SshConnectionPool.MaxSessionsPerConnection)
        {
            Release();
            return SshConnectionUse.Direct;
        }

        bool ready;
        try
        {
            ready = await _ready.Task.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ready = false;
        }
        catch (OperationCanceledException)
        {
            Release();
            throw;
        }

        if (!ready || _process.IsCompleted)
        {
            Release();
            return SshConnectionUse.Direct;
        }

        return new SshConnectionUse(["-o", $"ControlPath={_socket}", "-o", "ControlMaster=no"], Release);
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

    /// <summary>ssh creates the control socket once it is logged in; until then, and if it never does, runs connect on their own.</summary>
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start a shared ssh connection to {Destination}: {Error}")]
    private partial void LogFailed(string destination, string error);
}
