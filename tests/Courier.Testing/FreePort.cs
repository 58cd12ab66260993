using System.Net;
using System.Net.Sockets;

namespace Courier.Testing;

/// <summary>Free TCP ports on loopback, never the same one twice in a test run.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A TCP port free on loopback right now and not handed out before in this process.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
