using Courier.Core.Configuration;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Configuration;

public sealed class HermesConfigurationLoaderTests : IDisposable
{
    private readonly TempDirectory _config = TempDirectory.Create("courier-config");
    private readonly TempDirectory _fallback = TempDirectory.Create("courier-config-fallback");

    public void Dispose()
    {
        _config.Dispose();
        _fallback.Dispose();
    }

    private ServiceProvider Services(string? configPath = null) =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = configPath ?? $"{_config.Path}:{_fallback.Path}";
                o.StateDirectory = _config.Combine("state");
            })
            .AddSourceFactory<DirectorySourceFactory>()
            .AddDestinationFactory<RecordingDestinationFactory>()
            .Services.BuildServiceProvider();

    private HermesConfigurationLoader Loader() => Services().GetRequiredService<HermesConfigurationLoader>();

    [Fact]
    public void Every_file_in_sources_is_read_and_each_entry_makes_a_source()
    {
        _config.WriteFile("sources/a.json", """[{"type": "test-directory", "path": "/a", "destinations": ["x"]}]""");
        _config.WriteFile("sources/b", """[{"type": "test-directory", "path": "/b"}, {"type": "TEST-DIRECTORY", "path": "/c"}]""");

        var loaded = Loader().LoadSources();

        Assert.Empty(loaded.Errors);
        Assert.Equal(["test-directory:/a", "test-directory:/b", "test-directory:/c"], loaded.Sources.Select(s => s.Id));
        Assert.Equal(["x"], loaded.Sources[0].Destinations);
    }

    [Fact]
    public void The_first_sources_directory_on_CONFIG_PATH_wins()
    {
        _fallback.WriteFile("sources/a.json", """[{"type": "test-directory", "path": "/fallback"}]""");
        Assert.Equal(["test-directory:/fallback"], Loader().LoadSources().Sources.Select(s => s.Id));

        _config.WriteFile("sources/a.json", """[{"type": "test-directory", "path": "/first"}]""");
        Assert.Equal(["test-directory:/first"], Loader().LoadSources().Sources.Select(s => s.Id));
    }

    [Fact]
    public void A_file_that_is_not_a_list_is_an_error_for_that_file_only()
    {
        _config.WriteFile("sources/good.json", """[{"type": "test-directory", "path": "/good"}]""");
        var bad = _config.WriteFile("sources/bad.json", """{"type": "test-directory", "path": "/bad"}""");

        var loaded = Loader().LoadSources();

        Assert.Equal(["test-directory:/good"], loaded.Sources.Select(s => s.Id));
        var error = Assert.Single(loaded.Errors);
        Assert.Contains(bad, error, StringComparison.Ordinal);
        Assert.Contains("JSON list", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_an_error_naming_the_file()
    {
        _config.WriteFile("sources/good.json", """[{"type": "test-directory", "path": "/good"}]""");
        var bad = _config.WriteFile("sources/broken.json", """[{"type": "test-directory", "path": """);

        var loaded = Loader().LoadSources();

        Assert.Single(loaded.Sources);
        var error = Assert.Single(loaded.Errors);
        Assert.Contains(bad, error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_type_names_the_file_the_type_and_the_known_types_and_the_other_entries_still_load()
    {
        var file = _config.WriteFile("sources/mixed.json", """[{"type": "gti", "repositories": []}, {"type": "test-directory", "path": "/ok"}]""");

        var loaded = Loader().LoadSources();

        Assert.Equal(["test-directory:/ok"], loaded.Sources.Select(s => s.Id));
        var error = Assert.Single(loaded.Errors);
        Assert.Contains(file, error, StringComparison.Ordinal);
        Assert.Contains("entry #1", error, StringComparison.Ordinal);
        Assert.Contains("\"gti\"", error, StringComparison.Ordinal);
        Assert.Contains("Known source types: test-directory", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"path": "/x"}]""", "\"type\" is required")]
    [InlineData("""[{"type": 3}]""", "\"type\" must be a string")]
    [InlineData("""[{"type": "test-directory", "path": "/x", "destinations": "x"}]""", "\"destinations\" must be a list")]
    [InlineData("""[{"type": "test-directory", "path": "/x", "destinations": [1]}]""", "list of non-empty strings")]
    [InlineData("""[42]""", "expected a JSON object")]
    public void Wrong_field_types_are_clear_errors(string json, string expected)
    {
        _config.WriteFile("sources/s.json", json);

        var error = Assert.Single(Loader().LoadSources().Errors);

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void No_sources_directory_means_no_sources_and_no_error()
    {
        var loaded = Loader().LoadSources();

        Assert.Empty(loaded.Sources);
        Assert.Empty(loaded.Errors);
    }

    [Fact]
    public void Destination_aliases_hold_one_object_or_a_list_that_fans_out()
    {
        _config.WriteFile("destinations.json", """
            {
              "one": {"type": "recording", "name": "a"},
              "many": [{"type": "recording", "name": "b"}, {"type": "recording", "name": "c"}]
            }
            """);

        var loaded = Loader().LoadDestinations();

        Assert.Empty(loaded.Errors);
        Assert.Equal(["a"], loaded.Destinations["one"].Cast<RecordingDestination>().Select(d => d.Name));
        Assert.Equal(["b", "c"], loaded.Destinations["many"].Cast<RecordingDestination>().Select(d => d.Name));
    }

    [Fact]
    public void A_bad_destination_alias_is_an_error_for_that_alias_only()
    {
        var file = _config.WriteFile("destinations.json", """
            {"good": {"type": "recording", "name": "a"}, "bad": {"type": "teleport"}, "worse": {"type": "recording"}}
            """);

        var loaded = Loader().LoadDestinations();

        Assert.Equal(["good"], loaded.Destinations.Keys);
        Assert.Contains("unknown destination type \"teleport\"", loaded.Errors["bad"], StringComparison.Ordinal);
        Assert.Contains("Known destination types: recording", loaded.Errors["bad"], StringComparison.Ordinal);
        Assert.Contains(file, loaded.Errors["worse"], StringComparison.Ordinal);
        Assert.Contains("\"name\" is required", loaded.Errors["worse"], StringComparison.Ordinal);
    }

    [Fact]
    public void Destination_ssh_settings_default_to_the_original_and_key_paths_are_relative_to_destinations_json()
    {
        _config.WriteFile("keys/docker@armada.key", "not a real key");
        var file = _config.WriteFile("destinations.json", "{}");
        var loader = Loader();

        var defaults = loader.DefaultSshLogin();
        Assert.Equal(new SshLogin("docker", _config.Combine("keys/docker@armada.key"), true), defaults);

        var definition = new DestinationDefinition("x", Json.Parse("""{"type": "ssh", "ssh": {"user": "deploy", "key": "../k/deploy.key", "sudo": false}}"""), file, defaults);
        Assert.Equal(new SshLogin("deploy", Path.GetFullPath(Path.Combine(_config.Path, "../k/deploy.key")), false), definition.ReadSshLogin());
    }

    [Fact]
    public void Two_plugins_claiming_one_type_is_an_error_naming_both()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PluginCatalog([new DirectorySourceFactory(), new ClashingSourceFactory()], []));

        Assert.Contains(nameof(DirectorySourceFactory), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ClashingSourceFactory), error.Message, StringComparison.Ordinal);
        Assert.Contains("test-directory", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
