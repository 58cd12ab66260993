using Courier.Core;
using Courier.Testing;
using Courier.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Destinations.ArmadaLocal.Tests;

/// <summary>The <c>armada-local</c> destination against the conformance kit: the Armada API emulated, the agent's sshd real.</summary>
public sealed class ArmadaLocalDestinationConformanceTests : DestinationConformanceTests
{
    private ArmadaApiEmulator? _armada;
    private SshServer? _ship;

    protected override string TypeName => "armada-local";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "armada-local", "armada_api": 5}""", "armada_api");

    protected override SshLogin DefaultSshLogin => new(Environment.UserName, _ship?.ClientKey.PrivateKeyPath, Sudo: false);

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddArmadaLocalDestination();

    protected override void ConfigureCourier(CourierOptions options) => options.Ssh.StrictHostKeyChecking = "accept-new";

    protected override Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken) => CreateEntryAsync(reachable: true, cancellationToken);

    protected override Task<string> CreateFailingEntryAsync(CancellationToken cancellationToken) => CreateEntryAsync(reachable: false, cancellationToken);

    private async Task<string> CreateEntryAsync(bool reachable, CancellationToken cancellationToken)
    {
        _armada = await ArmadaApiEmulator.StartAsync();
        _ship = await SshServer.StartAsync(cancellationToken: cancellationToken);
        var hermesPath = Courier.Directory.Combine("ship", "etc-opt");
        Directory.CreateDirectory(hermesPath);
        await _armada.AddAgentAsync(new HermesAddress(reachable ? _ship.Endpoint : $"127.0.0.1:{FreePort.Next()}", hermesPath), "passing");
        return $$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}""";
    }

    public override async Task DisposeAsync()
    {
        if (_armada is not null)
        {
            await _armada.DisposeAsync();
        }

        if (_ship is not null)
        {
            await _ship.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
