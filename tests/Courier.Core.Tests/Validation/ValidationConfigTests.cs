using Courier.Core.Configuration;
using Courier.Core.Validation;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Validation;

/// <summary>The <c>"validate"</c> field of a source entry: its forms, and a clear error of that entry alone when it is wrong.</summary>
public sealed class ValidationConfigTests : IDisposable
{
    private readonly TempDirectory _config = TempDirectory.Create("courier-validate-config");

    public void Dispose() => _config.Dispose();

    private static ValidationPlan Read(string validate) =>
        ValidationConfig.Read(new SourceDefinition(Json.Parse($$"""{"type": "test-directory", "path": "/x", "validate": {{validate}}}"""), "/etc/courier/sources/s.json", 0));

    [Fact]
    public void No_validate_field_or_null_means_no_checks()
    {
        Assert.True(ValidationConfig.Read(new SourceDefinition(Json.Parse("""{"type": "test-directory"}"""), "/s.json", 0)).IsEmpty);
        Assert.True(Read("null").IsEmpty);
        Assert.True(Read("[]").IsEmpty);
    }

    [Fact]
    public void Built_in_names_commands_and_check_objects_with_their_own_timeout_are_read_in_order()
    {
        var plan = Read("""
            ["json", "YAML", ["nginx", "-t", "-p", "{snapshot}", "-c", "nginx/site.conf"],
             {"command": ["./check.sh", "two words"], "timeout": "00:00:10"}, {"builtin": "json", "timeout": 2.5}]
            """);

        Assert.Collection(
            plan.Checks,
            check => Assert.Equal(("json", (TimeSpan?)null), (check.Name, check.Timeout)),
            check => Assert.Equal(("yaml", (TimeSpan?)null), (check.Name, check.Timeout)),
            check => Assert.Equal(("nginx -t -p {snapshot} -c nginx/site.conf", (TimeSpan?)null), (check.Name, check.Timeout)),
            check => Assert.Equal(("./check.sh 'two words'", (TimeSpan?)TimeSpan.FromSeconds(10)), (check.Name, check.Timeout)),
            check => Assert.Equal(("json", (TimeSpan?)TimeSpan.FromSeconds(2.5)), (check.Name, check.Timeout)));
        Assert.IsType<CommandCheck>(plan.Checks[2]);
        Assert.IsType<JsonFilesCheck>(plan.Checks[4]);
        Assert.Equal("json; yaml; nginx -t -p {snapshot} -c nginx/site.conf; ./check.sh 'two words'; json", plan.Describe());
    }

    [Theory]
    [InlineData("\"json\"", "\"validate\" must be a list of checks")]
    [InlineData("{\"command\": [\"true\"]}", "\"validate\" must be a list of checks")]
    [InlineData("[\"xml\"]", "unknown built-in check \"xml\". Known built-in checks: json, yaml")]
    [InlineData("[\"nginx -t\"]", "a command is a list of its program and arguments: [\"nginx\", \"-t\"]")]
    [InlineData("[[]]", "check #1: the command is empty")]
    [InlineData("[\"json\", [\"\"]]", "check #2: the command is empty")]
    [InlineData("[[\"test\", 1]]", "a command is a list of strings, found a number in it")]
    [InlineData("[42]", "check #1 must be \"json\", \"yaml\", a command")]
    [InlineData("[{\"command\": []}]", "the command is empty")]
    [InlineData("[{\"command\": \"nginx -t\"}]", "\"command\" must be a list of strings")]
    [InlineData("[{\"builtin\": \"toml\"}]", "unknown built-in check \"toml\"")]
    [InlineData("[{\"timeout\": \"00:00:05\"}]", "exactly one of \"command\" and \"builtin\"")]
    [InlineData("[{\"command\": [\"true\"], \"builtin\": \"json\"}]", "exactly one of \"command\" and \"builtin\"")]
    [InlineData("[{\"command\": [\"true\"], \"timout\": 5}]", "unknown field \"timout\"")]
    [InlineData("[{\"command\": [\"true\"], \"timeout\": \"soon\"}]", "\"timeout\" must be a time span")]
    [InlineData("[{\"command\": [\"true\"], \"timeout\": 0}]", "\"timeout\" must be a time span")]
    [InlineData("[{\"command\": [\"true\"], \"timeout\": \"-00:00:05\"}]", "\"timeout\" must be a time span")]
    [InlineData("[{\"builtin\": \"json\", \"timeout\": \"2.00:00:00\"}]", "\"timeout\" must be a time span")]
    public void A_wrong_validate_field_is_a_clear_error_naming_the_entry(string validate, string expected)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Read(validate));

        Assert.Contains("/etc/courier/sources/s.json entry #1", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_validate_list_spoils_its_own_entry_only_and_every_source_of_an_entry_gets_its_checks()
    {
        var file = _config.WriteFile("sources/s.json", """
            [{"type": "test-directory", "path": "/bad", "validate": ["xml"]},
             {"type": "test-directory", "path": "/good", "validate": ["json", ["true"]]},
             {"type": "test-directory", "path": "/plain"}]
            """);
        var loader = new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _config.Path;
                o.StateDirectory = _config.Combine("state");
            })
            .AddSourceFactory<DirectorySourceFactory>()
            .Services.BuildServiceProvider().GetRequiredService<HermesConfigurationLoader>();

        var loaded = loader.LoadSources();

        Assert.Equal(["test-directory:/good", "test-directory:/plain"], loaded.Sources.Select(s => s.Id));
        var error = Assert.Single(loaded.Errors);
        Assert.Contains($"{file} entry #1", error, StringComparison.Ordinal);
        Assert.Contains("unknown built-in check \"xml\"", error, StringComparison.Ordinal);
        Assert.Equal("json; true", loaded.ValidationOf(loaded.Sources[0]).Describe());
        Assert.True(loaded.ValidationOf(loaded.Sources[1]).IsEmpty);
    }
}
