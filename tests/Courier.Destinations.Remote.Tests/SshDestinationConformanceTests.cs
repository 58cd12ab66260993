using Courier.Core;
using Courier.Testing;
using Courier.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Destinations.Remote.Tests;

/// <summary>The <c>ssh</c> destination against the conformance kit, delivering to a real sshd.</summary>
public sealed class SshDestinationConformanceTests : DestinationConformanceTests
{
    private SshServer? _server;

    protected override string TypeName => "ssh";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "ssh", "address": 5, "path": "/tmp"}""", "address");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddRemoteDestinations();

    protected override void ConfigureCourier(CourierOptions options) => options.Ssh.StrictHostKeyChecking = "accept-new";

    protected override async Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken)
    {
        _server = await SshServer.StartAsync(cancellationToken: cancellationToken);
        Directory.CreateDirectory(Courier.Directory.Combine("received"));
        return Entry(_server.Endpoint, _server);
    }

    protected override async Task<string> CreateFailingEntryAsync(CancellationToken cancellationToken)
    {
        _server = await SshServer.StartAsync(cancellationToken: cancellationToken);
        return Entry($"127.0.0.1:{FreePort.Next()}", _server);
    }

    private string Entry(string address, SshServer server) =>
        $$$"""{"type": "ssh", "address": "{{{address}}}", "path": "{{{Courier.Directory.Combine("received")}}}", "ssh": {"user": "{{{server.User}}}", "key": "{{{server.ClientKey.PrivateKeyPath}}}", "sudo": false}}""";

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
