using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Courier.Testing;

/// <summary>
/// One address in front of several servers, as a datacenter's load balancer is: every TCP connection to
/// <see cref="Endpoint"/> goes to the next backend in turn, and to the one after it when a backend refuses (a
/// machine that is down). Bytes are relayed both ways unchanged, so ssh and HTTP pass through as they are.
/// </summary>
public sealed class TcpLoadBalancer : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
    private readonly Socket _listener;
    private readonly NetworkNamespace? _network;
    private readonly IReadOnlyList<IPEndPoint> _backends;
    private readonly ConcurrentDictionary<IPEndPoint, int> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _next;

    private TcpLoadBalancer(Socket listener, NetworkNamespace? network, IReadOnlyList<IPEndPoint> backends)
    {
        _listener = listener;
        _network = network;
        _backends = backends;
        _accepting = AcceptAsync();
    }

    /// <summary>The address clients connect to.</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>How many connections each backend has been given.</summary>
    public IReadOnlyDictionary<IPEndPoint, int> Connections => _connections;

    /// <summary>Listens on <paramref name="endpoint"/> (inside <paramref name="network"/> when given) for <paramref name="backends"/>.</summary>
    public static TcpLoadBalancer Start(IPEndPoint endpoint, IReadOnlyList<IPEndPoint> backends, NetworkNamespace? network = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfZero(backends.Count);
        Socket listener;
        if (network is null)
        {
            listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        else
        {
            listener = network.Listen(endpoint);
        }

        return new TcpLoadBalancer(listener, network, backends);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            using var backend = await ConnectToNextAsync();
            if (backend is null)
            {
                return;
            }

            await using var toClient = new NetworkStream(client, ownsSocket: false);
            await using var toBackend = new NetworkStream(backend, ownsSocket: false);
            var up = PumpAsync(toClient, toBackend, backend);
            var down = PumpAsync(toBackend, toClient, client);
            await Task.WhenAll(up, down);
        }
    }

    private async Task<Socket?> ConnectToNextAsync()
    {
        var first = Interlocked.Increment(ref _next);
        for (var attempt = 0; attempt < _backends.Count; attempt++)
        {
            var backend = _backends[(int)((uint)(first + attempt) % (uint)_backends.Count)];
            var socket = _network?.CreateSocket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
                ?? new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                deadline.CancelAfter(ConnectTimeout);
                await socket.ConnectAsync(backend, deadline.Token);
                _connections.AddOrUpdate(backend, 1, (_, count) => count + 1);
                return socket;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
            }
        }

        return null;
    }

    // One direction; its end is passed on as a half close, so the other direction can finish its answer.
    private async Task PumpAsync(Stream from, Stream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, _stopping.Token);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            toSocket.Close();
        }
    }
}
