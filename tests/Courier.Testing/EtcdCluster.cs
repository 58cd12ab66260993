using Xunit;

namespace Courier.Testing;

/// <summary>
/// A real 3-member etcd cluster (Debian's etcd-server) on free loopback ports, its data in a temporary directory;
/// every member is stopped and reaped when the fixture is disposed. Elections are quick (50 ms heartbeats), so leases
/// of 2 to 3 s are allowed. An xunit fixture, and what the bench runs its clusters of Couriers on.
/// </summary>
public sealed class EtcdCluster : IAsyncLifetime, IAsyncDisposable
{
    private const int Size = 3;
    private readonly TempDirectory _data = TempDirectory.Create("courier-etcd");
    private readonly int[] _clientPorts = [.. Enumerable.Range(0, Size).Select(_ => FreePort.Next())];
    private readonly int[] _peerPorts = [.. Enumerable.Range(0, Size).Select(_ => FreePort.Next())];
    private readonly BackgroundProcess?[] _members = new BackgroundProcess?[Size];
    private readonly IReadOnlyList<string> _moreArguments;
    private readonly NetworkNamespace? _network;

    /// <summary>A cluster of three members with the default arguments; started by <see cref="InitializeAsync"/>.</summary>
    public EtcdCluster()
        : this([])
    {
    }

    private EtcdCluster(IReadOnlyList<string> moreArguments, NetworkNamespace? network = null)
    {
        _moreArguments = moreArguments;
        _network = network;
    }

    /// <summary>A cluster whose members get <paramref name="moreArguments"/> too (e.g. <c>--auth-token-ttl</c>); as a fixture, one public constructor only.</summary>
    public static EtcdCluster WithArguments(IReadOnlyList<string> moreArguments) => new(moreArguments);

    /// <summary>A cluster on the loopback of <paramref name="network"/>: a datacenter's own etcd, reached only from inside it.</summary>
    public static EtcdCluster InNamespace(NetworkNamespace network) => new([], network);

    /// <summary>The client URLs of every member, running or not.</summary>
    public IReadOnlyList<string> Endpoints => [.. _clientPorts.Select(port => $"http://127.0.0.1:{port}")];

    /// <summary>Starts the members and waits until each answers healthy (at most 30 s).</summary>
    public async Task InitializeAsync()
    {
        var token = $"courier-test-{Guid.NewGuid():N}";
        var initialCluster = string.Join(",", Enumerable.Range(0, Size).Select(i => $"m{i}=http://127.0.0.1:{_peerPorts[i]}"));
        for (var i = 0; i < Size; i++)
        {
            _members[i] = BackgroundProcess.Start("etcd", [
                "--name", $"m{i}",
                "--data-dir", _data.Combine($"m{i}"),
                "--listen-client-urls", Endpoints[i],
                "--advertise-client-urls", Endpoints[i],
                "--listen-peer-urls", $"http://127.0.0.1:{_peerPorts[i]}",
                "--initial-advertise-peer-urls", $"http://127.0.0.1:{_peerPorts[i]}",
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", token,
                "--heartbeat-interval", "50",
                "--election-timeout", "500",
                "--logger", "zap",
                "--log-level", "warn",
                .. _moreArguments,
            ], networkNamespace: _network?.Name);
        }

        await WaitHealthyAsync([.. Enumerable.Range(0, Size)]);
    }

    /// <summary>Stops member <paramref name="index"/> (SIGINT, then SIGKILL) and waits until it has exited.</summary>
    public async Task StopMemberAsync(int index)
    {
        if (_members[index] is { } member)
        {
            await member.StopAsync(TimeSpan.FromSeconds(3));
        }
    }

    /// <summary>Stops and reaps every member and removes their data.</summary>
    public async Task DisposeAsync()
    {
        foreach (var member in _members.OfType<BackgroundProcess>())
        {
            await member.DisposeAsync();
        }

        _data.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private async Task WaitHealthyAsync(int[] members)
    {
        using var http = _network?.CreateHttpClient(timeout: TimeSpan.FromSeconds(2)) ?? new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var i in members)
        {
            while (true)
            {
                if (_members[i]!.HasExited)
                {
                    throw new InvalidOperationException($"etcd member m{i} exited:\n{_members[i]!.Output}");
                }

                try
                {
                    if ((await http.GetStringAsync($"{Endpoints[i]}/health")).Contains("\"health\":\"true\"", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"etcd member m{i} was not healthy within 30 s:\n{_members[i]!.Output}");
                }

                await Task.Delay(100);
            }
        }
    }
}
