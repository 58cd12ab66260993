using System.Net;
using System.Net.Sockets;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;

namespace Courier.EndToEnd.Tests;

/// <summary>The namespace machinery the acceptance suite stands on: isolation is real, servers in namespaces answer.</summary>
public sealed class NetworkIsolationTests
{
    [Fact]
    public async Task A_server_in_a_namespace_answers_its_neighbour_and_is_out_of_reach_of_the_rest()
    {
        var suffix = Environment.ProcessId % 100000;
        await using var left = await NetworkNamespace.CreateAsync($"crt-left-{suffix}");
        await using var right = await NetworkNamespace.CreateAsync($"crt-right-{suffix}");
        await using var far = await NetworkNamespace.CreateAsync($"crt-far-{suffix}");
        await NetworkNamespace.ConnectAsync(left, "198.51.100.201/30", right, "198.51.100.202/30");
        await NetworkNamespace.ConnectAsync(right, "203.0.113.201/30", far, "203.0.113.202/30");
        await using var server = await TestWebServer.StartAsync(app => app.MapGet("/", () => "hello from the right"), "198.51.100.202", right);

        using var neighbour = left.CreateHttpClient(timeout: TimeSpan.FromSeconds(5));
        Assert.Equal("hello from the right", await neighbour.GetStringAsync(server.BaseUrl));

        using var socket = left.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var unreachable = await Assert.ThrowsAnyAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Parse("203.0.113.202"), 22));
        Assert.Equal(SocketError.NetworkUnreachable, unreachable.SocketErrorCode);
    }
}
