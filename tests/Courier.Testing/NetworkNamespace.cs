using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CliWrap;
using CliWrap.Buffered;

namespace Courier.Testing;

/// <summary>
/// A Linux network namespace made by a test (<c>ip netns add</c>), removed with everything in it when disposed.
/// Sockets of the test process can be opened inside it, so in-process HTTP servers and clients live in the
/// namespace's network without a helper process.
/// </summary>
public sealed partial class NetworkNamespace : IAsyncDisposable
{
    private const int CloneNewNet = 0x40000000;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name, as <c>ip netns</c> knows it.</summary>
    public string Name { get; }

    /// <summary>Makes a namespace whose loopback is up. Names are short (veth names derive from them).</summary>
    public static async Task<NetworkNamespace> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        await RunAsync(["ip", "netns", "delete", name], cancellationToken, allowFailure: true);
        await RunAsync(["ip", "netns", "add", name], cancellationToken);
        var created = new NetworkNamespace(name);
        await created.ExecAsync(["ip", "link", "set", "lo", "up"], cancellationToken);
        return created;
    }

    /// <summary>Joins two namespaces with a veth pair, giving each end an address (CIDR form, e.g. 198.51.100.1/24).</summary>
    public static async Task ConnectAsync(NetworkNamespace a, string addressInA, NetworkNamespace b, string addressInB, CancellationToken cancellationToken = default)
    {
        var endA = $"v{Guid.NewGuid():N}"[..12];
        var endB = $"v{Guid.NewGuid():N}"[..12];
        await RunAsync(["ip", "link", "add", endA, "netns", a.Name, "type", "veth", "peer", "name", endB, "netns", b.Name], cancellationToken);
        await a.ExecAsync(["ip", "addr", "add", addressInA, "dev", endA], cancellationToken);
        await b.ExecAsync(["ip", "addr", "add", addressInB, "dev", endB], cancellationToken);
        await a.ExecAsync(["ip", "link", "set", endA, "up"], cancellationToken);
        await b.ExecAsync(["ip", "link", "set", endB, "up"], cancellationToken);
    }

    /// <summary>Adds a route in this namespace (e.g. <c>203.0.113.0/24 via 198.51.100.1</c>).</summary>
    public Task AddRouteAsync(string network, string via, CancellationToken cancellationToken = default) =>
        ExecAsync(["ip", "route", "add", network, "via", via], cancellationToken);

    /// <summary>Turns on IP forwarding, making this namespace a router between its links.</summary>
    public Task EnableForwardingAsync(CancellationToken cancellationToken = default) =>
        ExecAsync(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"], cancellationToken);

    /// <summary>Runs a command in the namespace and returns its result (no check of the exit code).</summary>
    public Task<BufferedCommandResult> TryExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default) =>
        Cli.Wrap("ip").WithArguments(["netns", "exec", Name, .. command]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);

    /// <summary>Runs a command in the namespace and returns its output; throws when it fails.</summary>
    public async Task<string> ExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        var result = await TryExecAsync(command, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"In namespace {Name}, {string.Join(' ', command)} failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput;
    }

    /// <summary>A socket created inside this namespace (it stays there, whatever thread uses it afterwards).</summary>
    public Socket CreateSocket(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{Name}");
                if (SetNs(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                socket = new Socket(family, type, protocol);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"Could not open a socket in namespace {Name}.", error);
    }

    /// <summary>A listening TCP socket inside this namespace, bound to <paramref name="endpoint"/>.</summary>
    public Socket Listen(IPEndPoint endpoint)
    {
        var socket = CreateSocket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        socket.Listen(512);
        return socket;
    }

    /// <summary>An HttpClient whose connections start inside this namespace.</summary>
    public HttpClient CreateHttpClient(Uri? baseAddress = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Processes still running in the namespace keep it alive: end them first.
        var pids = await RunAsync(["ip", "netns", "pids", Name], CancellationToken.None, allowFailure: true);
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await RunAsync(["kill", "-9", pid], CancellationToken.None, allowFailure: true);
        }

        await RunAsync(["ip", "netns", "delete", Name], CancellationToken.None, allowFailure: true);
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var result = await Cli.Wrap(command[0]).WithArguments(command.Skip(1)).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
