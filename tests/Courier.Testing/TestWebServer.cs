using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Courier.Testing;

/// <summary>A small in-process HTTP server for emulated parties, on loopback or inside a network namespace.</summary>
public sealed class TestWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private TestWebServer(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The address and port the server listens on.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary><c>IP:PORT</c>.</summary>
    public string Address => $"{Endpoint.Address}:{Endpoint.Port}";

    /// <summary><c>http://IP:PORT</c>.</summary>
    public string BaseUrl => $"http://{Address}";

    /// <summary>The requests received, as <c>METHOD /path?query</c>.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Starts a web server on a free port of <paramref name="listenAddress"/> (inside <paramref name="networkNamespace"/> when given) with the routes <paramref name="mapRoutes"/> maps.</summary>
    public static async Task<TestWebServer> StartAsync(Action<WebApplication> mapRoutes, string listenAddress = "127.0.0.1", NetworkNamespace? networkNamespace = null)
    {
        var ip = IPAddress.Parse(listenAddress);
        var port = networkNamespace is null ? FreePort.Next() : 0;
        var socket = networkNamespace?.Listen(new IPEndPoint(ip, 0));
        var endpoint = socket is null ? new IPEndPoint(ip, port) : (IPEndPoint)socket.LocalEndPoint!;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (socket is null)
            {
                kestrel.Listen(endpoint);
            }
            else
            {
                kestrel.ListenHandle((ulong)socket.SafeHandle.DangerousGetHandle());
            }
        });
        var app = builder.Build();
        var server = new TestWebServer(app, endpoint);
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            server._requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        mapRoutes(app);
        await app.StartAsync();
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
