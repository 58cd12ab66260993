using System.Security.Cryptography;
using System.Text;
using Courier.Core.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Ssh;

/// <summary>
/// One OpenSSH master connection per target (user, address and ssh options), owned by Courier: started on first
/// use, shared by the transfers that follow (they skip the handshake), ended when unused for
/// <c>Courier:Ssh:ConnectionIdleTimeout</c>, when it dies, when a run through it hangs, and at shutdown. A run waits
/// for a new master as long as it would wait for its own connection: the master's connect and login are the run's,
/// so a dead target costs one connect timeout, not one for the master and one more for a connection of its own.
/// </summary>
internal sealed partial class SshConnectionPool : IAsyncDisposable, IDisposable
{
    /// <summary>sshd's default MaxSessions is 10: more transfers at once to one target connect on their own.</summary>
    internal const int MaxSessionsPerConnection = 8;

    /// <summary>After a connection failed to log in, transfers connect on their own this long (their retries included).</summary>
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, SshMasterConnection> _connections = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CourierSshOptions _options;
    private readonly ProcessRunner _processes;
    private readonly TimeProvider _time;
    private readonly ILogger<SshConnectionPool> _logger;
    private readonly Lazy<string?> _socketDirectory;
    private readonly ITimer _sweeper;
    private int _disposed;
    private long _generation;

    public SshConnectionPool(IOptions<CourierOptions> options, ProcessRunner processes, TimeProvider time, ILogger<SshConnectionPool> logger)
    {
        _processes = processes;
        _options = options.Value.Ssh;
        _time = time;
        _logger = logger;
        _socketDirectory = new Lazy<string?>(() => SshSocketDirectory.Create(options.Value.StateDirectory, logger), LazyThreadSafetyMode.ExecutionAndPublication);
        var sweep = TimeSpan.FromTicks(Math.Clamp(_options.ConnectionIdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond / 4, TimeSpan.TicksPerMinute));
        _sweeper = time.CreateTimer(_ => _ = CloseIdleAsync(), null, sweep, sweep);
    }

    /// <summary>
    /// The ssh options that route one run over the shared connection to <paramref name="destination"/>, opening it
    /// when needed; an empty lease (connect directly) when sharing is off, busy or not ready in time.
    /// </summary>
    /// <param name="sshExecutable">The ssh executable.</param>
    /// <param name="sshArguments">The run's ssh options (key, host key checks, <c>-p</c>), which the master uses too.</param>
    /// <param name="destination">The <c>user@host</c> the run logs in to.</param>
    /// <param name="cancellationToken">Ends the wait for a new connection.</param>
    public async Task<SshConnectionUse> AcquireAsync(string sshExecutable, IReadOnlyList<string> sshArguments, string destination, CancellationToken cancellationToken)
    {
        if (!_options.ReuseConnections || Volatile.Read(ref _disposed) != 0 || _socketDirectory.Value is not { } directory)
        {
            return SshConnectionUse.Direct;
        }

        var key = KeyOf(sshExecutable, sshArguments, destination);
        SshMasterConnection connection;
        SshMasterConnection? ended = null;
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return SshConnectionUse.Direct;
            }

            var found = _connections.TryGetValue(key, out connection!);
            if (found && connection.FailedAt is { } failedAt && _time.GetUtcNow() - failedAt < FailureBackoff)
            {
                return SshConnectionUse.Direct;
            }

            if (!found || connection.HasEnded || connection.LostItsSocket)
            {
                ended = connection;
                // A socket of its own per connection: closing the one it replaces removes that one's socket only.
                var socket = Path.Combine(directory, $"{key}.{Interlocked.Increment(ref _generation)}");
                connection = SshMasterConnection.Start(_processes, sshExecutable, sshArguments, destination, socket, _options.ConnectTimeoutSeconds, _time, _logger);
                _connections[key] = connection;
            }
        }

        if (ended is not null)
        {
            await ended.CloseAsync().ConfigureAwait(false);
        }

        return await connection.LeaseAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        SshMasterConnection[] open;
        lock (_gate)
        {
            open = [.. _connections.Values];
            _connections.Clear();
        }

        await Task.WhenAll(open.Select(c => c.CloseAsync().AsTask())).ConfigureAwait(false);
        if (_socketDirectory.IsValueCreated && _socketDirectory.Value is { } directory)
        {
            SshSocketDirectory.Remove(directory);
        }
    }

    private async Task CloseIdleAsync()
    {
        var now = _time.GetUtcNow();
        List<SshMasterConnection> closing = [];
        lock (_gate)
        {
            foreach (var (key, connection) in _connections.Where(c => c.Value.HasEnded || c.Value.IdleSince(now) > _options.ConnectionIdleTimeout).ToList())
            {
                _connections.Remove(key);
                closing.Add(connection);
            }
        }

        foreach (var connection in closing)
        {
            LogClosing(connection.Destination, connection.HasEnded ? "it ended" : "it was idle");
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Short (socket paths are limited to ~100 bytes, and a generation is added) and different for every set of options.</summary>
    private static string KeyOf(string sshExecutable, IReadOnlyList<string> sshArguments, string destination)
    {
        var identity = string.Join('\0', [sshExecutable, destination, .. sshArguments]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the shared ssh connection to {Destination}: {Reason}")]
    private partial void LogClosing(string destination, string reason);
}
