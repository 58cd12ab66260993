using System.Net;
using System.Reflection;
using Courier.Testing;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Host.Tests;

public sealed class PluginLoadingTests : IAsyncLifetime
{
    private static readonly string[] BuiltInPlugins =
        ["Courier.Sources.Git", "Courier.Sources.HermesDirectory", "Courier.Destinations.ArmadaLocal", "Courier.Destinations.Remote"];

    private HermesSetup _setup = null!;

    private static string BuiltInPluginDirectory => Path.Combine(CourierHostProcess.HostDirectory, "plugins");

    private static string LocalDirectoryPluginOutput =>
        typeof(PluginLoadingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LocalDirectoryPluginOutput").Value!;

    public async Task InitializeAsync() => _setup = await HermesSetup.CreateAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public void The_host_carries_the_four_built_in_plugins_and_no_reference_to_them()
    {
        Assert.Equal(BuiltInPlugins.Order(), Directory.GetDirectories(BuiltInPluginDirectory).Select(Path.GetFileName).Order());
        foreach (var plugin in BuiltInPlugins)
        {
            Assert.True(File.Exists(Path.Combine(BuiltInPluginDirectory, plugin, plugin + ".dll")), plugin);
            Assert.False(File.Exists(Path.Combine(CourierHostProcess.HostDirectory, plugin + ".dll")), $"{plugin} must not sit beside the host");
            Assert.False(File.Exists(Path.Combine(BuiltInPluginDirectory, plugin, "Courier.Abstractions.dll")), $"{plugin} must use the host's contracts");
        }

        Assert.True(File.Exists(Path.Combine(BuiltInPluginDirectory, "Courier.Sources.Git", "LibGit2Sharp.dll")));
    }

    [Theory]
    [InlineData("Courier.Sources.Git")]
    [InlineData("Courier.Sources.HermesDirectory")]
    [InlineData("Courier.Destinations.ArmadaLocal")]
    [InlineData("Courier.Destinations.Remote")]
    public void Plugin_types_unify_with_the_host_contracts(string plugin)
    {
        var loader = PluginLoader.CreateFromAssemblyFile(
            Path.Combine(BuiltInPluginDirectory, plugin, plugin + ".dll"),
            [typeof(ISource), typeof(IServiceCollection), typeof(ILogger)],
            config => config.PreferSharedTypes = true);

        var entryPoint = Assert.Single(loader.LoadDefaultAssembly().GetExportedTypes(), t => typeof(ICourierPlugin).IsAssignableFrom(t));
        var builder = new TestBuilder();
        ((ICourierPlugin)Activator.CreateInstance(entryPoint)!).Configure(builder);

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(ISourceFactory) || d.ServiceType == typeof(IDestinationFactory));
    }

    [Fact]
    public async Task Two_plugins_claiming_one_type_stop_the_host_at_start_naming_both()
    {
        var extra = _setup.Root.Combine("more-plugins");
        CopyDirectory(Path.Combine(BuiltInPluginDirectory, "Courier.Sources.HermesDirectory"), Path.Combine(extra, "Courier.Sources.HermesDirectory"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => _setup.StartHostAsync(new Dictionary<string, string>
        {
            ["Courier:PluginDirectories:0"] = BuiltInPluginDirectory,
            ["Courier:PluginDirectories:1"] = extra,
        }));

        Assert.Contains("Two plugins claim the source type \"hermes-directory\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(BuiltInPluginDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains(extra, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_folder_without_its_assembly_stops_the_host_with_a_clear_error()
    {
        var extra = _setup.Root.Combine("broken-plugins");
        Directory.CreateDirectory(Path.Combine(extra, "Some.Plugin"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => _setup.StartHostAsync(new Dictionary<string, string>
        {
            ["Courier:PluginDirectories:0"] = BuiltInPluginDirectory,
            ["Courier:PluginDirectories:1"] = extra,
        }));

        Assert.Contains("has no Some.Plugin.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_plugin_dropped_into_a_plugin_folder_is_loaded_by_its_type()
    {
        var extra = _setup.Root.Combine("custom-plugins");
        CopyDirectory(LocalDirectoryPluginOutput, Path.Combine(extra, "Courier.Samples.LocalDirectory"));
        _setup.WriteHermesFile("app/app.conf", "delivered by a custom plugin");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["local"]}]""");
        _setup.WriteDestinations("""{"local": {"type": "local-directory", "path": "../delivered"}}""");
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string>
        {
            ["Courier:PluginDirectories:0"] = BuiltInPluginDirectory,
            ["Courier:PluginDirectories:1"] = extra,
        });

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));

        Assert.Equal("delivered by a custom plugin", File.ReadAllText(_setup.Root.Combine("delivered", "app", "app.conf")));
        Assert.Contains("local-directory", host.Logs, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed class TestBuilder : ICourierBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
    }
}
