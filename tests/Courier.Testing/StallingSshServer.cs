using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Courier.Testing;

/// <summary>
/// A peer on a loopback port that accepts TCP connections and then never gets anywhere: it says nothing at all, or it
/// sends an SSH banner and then stalls the login (ssh's ConnectTimeout covers the connect and the banner, not the
/// key exchange after it). Connections stay open until it is disposed.
/// </summary>
public sealed class StallingSshServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private StallingSshServer(TcpListener listener, bool sendBanner)
    {
        _listener = listener;
        _accepting = AcceptAsync(sendBanner);
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary><c>127.0.0.1:PORT</c>, as hermes addresses and destinations write it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>How many connections it accepted.</summary>
    public int Accepted
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Starts listening; with <paramref name="sendBanner"/>, each connection gets an OpenSSH banner and nothing more.</summary>
    public static StallingSshServer Start(bool sendBanner)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new StallingSshServer(listener, sendBanner);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(bool sendBanner)
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptSocketAsync(_stop.Token);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            if (sendBanner)
            {
                await connection.SendAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), _stop.Token);
            }
        }
    }
}
