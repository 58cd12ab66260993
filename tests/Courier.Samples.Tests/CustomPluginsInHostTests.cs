using System.Net;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Courier.Testing;

namespace Courier.Samples.Tests;

/// <summary>The two sample plugins, published as an operator would, dropped into a plugin folder of the real host.</summary>
public sealed class CustomPluginsInHostTests : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.Create("courier-samples-host");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_tarball_source_and_a_local_directory_destination_published_into_a_plugin_folder_deliver()
    {
        var plugins = _root.Combine("plugins");
        await PublishAsync(SampleBuild.TarballSourceProject, Path.Combine(plugins, "Courier.Samples.TarballSource"));
        await PublishAsync(SampleBuild.LocalDirectoryProject, Path.Combine(plugins, "Courier.Samples.LocalDirectory"));
        Assert.False(File.Exists(Path.Combine(plugins, "Courier.Samples.TarballSource", "Courier.Abstractions.dll")), "a plugin uses the host's contracts");

        var archive = Tarballs.Of(new Dictionary<string, string>
        {
            ["service.json"] = """{"workers": 4}""",
            ["nginx/site.conf"] = "server { listen 80; }",
        });
        var archivePath = _root.Combine("archives", "app-config.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(archivePath)!);
        await File.WriteAllBytesAsync(archivePath, archive);
        _root.WriteFile("config/sources/tarball.json", $$"""[{"type": "tarball", "url": "{{archivePath}}", "destination_path": "app-config", "destinations": ["local"]}]""");
        _root.WriteFile("config/destinations.json", """{"local": {"type": "local-directory", "path": "../delivered"}}""");
        Directory.CreateDirectory(_root.Combine("hermes"));

        await using var host = await CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = _root.Combine("config"),
            HermesDirectory = _root.Combine("hermes"),
            StateDirectory = _root.Combine("state"),
            Settings = new Dictionary<string, string>
            {
                ["Courier:PluginDirectories:0"] = Path.Combine(CourierHostProcess.HostDirectory, "plugins"),
                ["Courier:PluginDirectories:1"] = plugins,
            },
        });

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));

        Assert.Equal("""{"workers": 4}""", File.ReadAllText(_root.Combine("delivered", "app-config", "service.json")));
        Assert.Equal("server { listen 80; }", File.ReadAllText(_root.Combine("delivered", "app-config", "nginx", "site.conf")));

        var (status, body) = await host.PostAsync("/update_all", acceptJson: true);
        Assert.Equal(HttpStatusCode.OK, status);
        using var report = JsonDocument.Parse(body);
        var source = Assert.Single(report.RootElement.GetProperty("sources").EnumerateArray());
        Assert.Equal("tarball", source.GetProperty("type").GetString());
        Assert.Equal(Tarballs.Sha256(archive), source.GetProperty("revision").GetString());
    }

    /// <summary>
    /// <c>dotnet publish -c CONFIGURATION -o FOLDER</c>, as the sample READMEs tell an operator. With --no-build: the
    /// solution build made the outputs already (a publish that builds again takes seconds more, and could rewrite
    /// files other test projects are reading at the same time).
    /// </summary>
    private static async Task PublishAsync(string project, string output)
    {
        var result = await Cli.Wrap("dotnet")
            .WithArguments(["publish", project, "-c", SampleBuild.Configuration, "-o", output, "--no-build", "-nologo"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"dotnet publish {project} failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        Assert.True(File.Exists(Path.Combine(output, Path.GetFileNameWithoutExtension(project) + ".dll")), $"{output} holds no plugin assembly");
    }
}
