using System.Net;
using System.Reflection;
using CliWrap;
using CliWrap.Buffered;
using Courier.Testing;

namespace Courier.Host.Tests.Plugins;

/// <summary>
/// <c>Courier.Host plugins install|list|remove</c> run as an operator runs them, against a local folder feed holding
/// the sample plugin packed by <c>dotnet pack</c>; the installed plugin then delivers through a real host.
/// </summary>
public sealed class PluginInstallCommandTests(PackedSampleFeed feed) : IClassFixture<PackedSampleFeed>, IAsyncLifetime
{
    private const string PluginId = "Courier.Samples.LocalDirectory";

    private HermesSetup _setup = null!;

    private string Feed => feed.Folder;

    private string InstalledPlugins => _setup.Root.Combine("installed-plugins");

    public async Task InitializeAsync() => _setup = await HermesSetup.CreateAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task An_installed_package_is_listed_loaded_by_its_type_delivers_and_is_removed()
    {
        var install = await HostCommandAsync("install", PluginId, "--source", Feed);

        Assert.True(install.ExitCode == 0, install.StandardError);
        Assert.Contains($"Installed {PluginId}", install.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(InstalledPlugins, PluginId, PluginId + ".dll")));
        Assert.False(File.Exists(Path.Combine(InstalledPlugins, PluginId, "Courier.Abstractions.dll")), "the host provides the contracts");

        var list = await HostCommandAsync("list");
        Assert.Equal(0, list.ExitCode);
        var line = Assert.Single(list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{PluginId}\t1.", line, StringComparison.Ordinal);
        Assert.Contains($"installed from {Feed}", line, StringComparison.Ordinal);

        _setup.WriteHermesFile("app/app.conf", "delivered by an installed plugin");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["local"]}]""");
        _setup.WriteDestinations("""{"local": {"type": "local-directory", "path": "../delivered"}}""");
        await using (var host = await _setup.StartHostAsync(new Dictionary<string, string>
        {
            ["Courier:PluginDirectories:0"] = Path.Combine(CourierHostProcess.HostDirectory, "plugins"),
            ["Courier:PluginDirectories:1"] = InstalledPlugins,
        }))
        {
            Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));
        }

        Assert.Equal("delivered by an installed plugin", File.ReadAllText(_setup.Root.Combine("delivered", "app", "app.conf")));

        var remove = await HostCommandAsync("remove", PluginId);
        Assert.True(remove.ExitCode == 0, remove.StandardError);
        Assert.False(Directory.Exists(Path.Combine(InstalledPlugins, PluginId)));
        Assert.Equal(string.Empty, (await HostCommandAsync("list")).StandardOutput);
    }

    [Fact]
    public async Task A_package_no_source_has_fails_clearly_and_installs_nothing()
    {
        var install = await HostCommandAsync("install", "Acme.Courier.Missing", "--source", Feed);

        Assert.Equal(1, install.ExitCode);
        Assert.Contains("No source has a package Acme.Courier.Missing", install.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(InstalledPlugins) && Directory.EnumerateFileSystemEntries(InstalledPlugins).Any());
    }

    [Fact]
    public async Task A_version_the_feed_lacks_fails_naming_the_versions_it_has()
    {
        var install = await HostCommandAsync("install", PluginId, "--version", "0.1.0", "--source", Feed);

        Assert.Equal(1, install.ExitCode);
        Assert.Contains($"{PluginId} has no version 0.1.0 (found: 1.", install.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_plugin_that_is_not_there_fails_and_a_bad_id_is_refused()
    {
        Assert.Equal(1, (await HostCommandAsync("remove", PluginId)).ExitCode);

        var traversal = await HostCommandAsync("remove", "../config");
        Assert.Equal(1, traversal.ExitCode);
        Assert.Contains("not a valid package id", traversal.StandardError, StringComparison.Ordinal);
        Assert.True(Directory.Exists(_setup.ConfigDirectory));
    }

    [Fact]
    public async Task Wrong_usage_names_what_is_wrong_changes_nothing_and_help_shows_each_command()
    {
        var unknown = await HostCommandAsync("frob");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Unrecognized command or argument 'frob'", unknown.StandardError, StringComparison.Ordinal);

        var missing = await HostCommandAsync("install");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("package-id", missing.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(InstalledPlugins) && Directory.EnumerateFileSystemEntries(InstalledPlugins).Any());

        var help = await HostCommandAsync("install", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Courier.Host plugins install <package-id> [options]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--plugin-directory", help.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Runs the built host's plugins command with the installed-plugins folder as its plugin directory (the host's own setting).</summary>
    private Task<BufferedCommandResult> HostCommandAsync(params string[] arguments) =>
        RunAsync(
            "dotnet",
            [Path.Combine(CourierHostProcess.HostDirectory, "Courier.Host.dll"), "plugins", .. arguments],
            new Dictionary<string, string?> { ["Courier__PluginDirectories__0"] = InstalledPlugins });

    internal static async Task<BufferedCommandResult> RunAsync(string program, string[] arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(deadline.Token);
    }
}

/// <summary>A local folder feed holding the sample plugin, packed once by <c>dotnet pack</c> for the tests of a class.</summary>
public sealed class PackedSampleFeed : IAsyncLifetime
{
    private readonly TempDirectory _directory = TempDirectory.Create("courier-feed");

    public string Folder => _directory.Path;

    private static string SampleProjectDirectory =>
        Path.GetFullPath(Path.Combine(
            typeof(PackedSampleFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LocalDirectoryPluginOutput").Value!,
            "..", "..", ".."));

    public async Task InitializeAsync()
    {
        var pack = await PluginInstallCommandTests.RunAsync("dotnet", ["pack", SampleProjectDirectory, "-c", "Release", "-o", Folder, "-p:IncludeSymbols=false", "-p:PackSamples=true", "-nologo"]);
        Assert.True(pack.ExitCode == 0, pack.StandardOutput + pack.StandardError);
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
