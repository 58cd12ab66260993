using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Courier.Testing;

namespace Courier.Samples.Tests;

/// <summary>The embedding sample run as the console tool it is: its exit code, what it delivered, the report it prints.</summary>
public sealed class EmbeddingSampleTests : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.Create("courier-embedding");

    public EmbeddingSampleTests()
    {
        _root.WriteFile("hermes/app/app.conf", "port = 8080");
        _root.WriteFile("hermes/app/nginx/site.conf", "server { listen 80; }");
        _root.WriteFile("config/destinations.json", """{"local": {"type": "local-directory", "path": "../delivered"}}""");
        _root.WriteFile("config/sources/app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destination_path": "app-config", "destinations": ["local"]}]""");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Delivers_every_source_prints_the_report_and_exits_0()
    {
        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Equal("port = 8080", File.ReadAllText(_root.Combine("delivered", "app-config", "app.conf")));
        Assert.Equal("server { listen 80; }", File.ReadAllText(_root.Combine("delivered", "app-config", "nginx", "site.conf")));

        // Standard output is the report and nothing else; logs went to standard error.
        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.True(report.RootElement.GetProperty("succeeded").GetBoolean());
        var source = Assert.Single(report.RootElement.GetProperty("sources").EnumerateArray());
        Assert.Equal("hermes-directory:app", source.GetProperty("source").GetString());
        Assert.False(string.IsNullOrEmpty(source.GetProperty("revision").GetString()));
        var delivery = Assert.Single(Assert.Single(source.GetProperty("destinations").EnumerateArray()).GetProperty("deliveries").EnumerateArray());
        Assert.Equal(_root.Combine("delivered", "app-config"), delivery.GetProperty("target").GetString());
        Assert.Contains("Update finished", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_source_is_reported_and_exits_1_while_the_others_are_delivered()
    {
        _root.WriteFile("config/sources/broken.json", """[{"type": "hermes-directory", "subdirectory": "not-there", "destinations": ["local"]}]""");

        var result = await RunAsync();

        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Equal("port = 8080", File.ReadAllText(_root.Combine("delivered", "app-config", "app.conf")));
        Assert.False(Directory.Exists(_root.Combine("delivered", "not-there")));

        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.False(report.RootElement.GetProperty("succeeded").GetBoolean());
        var broken = Assert.Single(report.RootElement.GetProperty("sources").EnumerateArray(), s => s.GetProperty("source").GetString() == "hermes-directory:not-there");
        Assert.Contains("does not exist", broken.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registers_the_tarball_source_in_code()
    {
        var archive = _root.Combine("archives", "extra.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        await File.WriteAllBytesAsync(archive, Tarballs.Of(new Dictionary<string, string> { ["extra.conf"] = "from a tarball" }));
        _root.WriteFile("config/sources/extra.json", """[{"type": "tarball", "url": "../../archives/extra.tar.gz", "destination_path": "extra", "destinations": ["local"]}]""");

        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Equal("from a tarball", File.ReadAllText(_root.Combine("delivered", "extra", "extra.conf")));
    }

    private async Task<BufferedCommandResult> RunAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(SampleBuild.EmbeddingOutput, "Courier.Samples.Embedding.dll"), _root.Combine("hermes"), _root.Combine("state")])
            .WithEnvironmentVariables(new Dictionary<string, string?>
            {
                ["CONFIG_PATH"] = _root.Combine("config"),
                ["DOTNET_ENVIRONMENT"] = "Production",
            })
            .WithWorkingDirectory(_root.Path)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
    }
}
