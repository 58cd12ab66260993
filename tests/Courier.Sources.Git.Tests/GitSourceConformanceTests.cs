using Courier.Core;
using Courier.Testing;
using Courier.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.Git.Tests;

/// <summary>The git source against the conformance kit, pulling from a git server over a real sshd.</summary>
public sealed class GitSourceConformanceTests : SourceConformanceTests
{
    private GitServer? _server;

    protected override string TypeName => "git";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "git", "repositories": 5}""", "repositories");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddGitSource();

    protected override void ConfigureCourier(CourierOptions options) => options.Ssh.StrictHostKeyChecking = "accept-new";

    protected override async Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken)
    {
        _server = await GitServer.StartAsync(cancellationToken: cancellationToken);
        var repository = await _server.CreateRepositoryAsync("conformance", "master", new Dictionary<string, string> { ["app.conf"] = "app" }, cancellationToken);
        Directory.CreateDirectory(Path.Combine(Courier.ConfigDirectory, "keys"));
        File.Copy(_server.Ssh.ClientKey.PrivateKeyPath, Path.Combine(Courier.ConfigDirectory, "keys", "git.key"));
        return $$"""{"type": "git", "repositories": ["{{repository.SshUrl}}"], "ssh_key": "../keys/git.key", "destinations": ["target"]}""";
    }

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
