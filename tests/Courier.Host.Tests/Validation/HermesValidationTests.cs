using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Visibility;
using Courier.Testing;

namespace Courier.Host.Tests.Validation;

/// <summary>
/// The published host validating hermes-directory snapshots before it delivers them to a real sshd target: a failed
/// check delivers nothing, and the report, the history and the status page say which check failed and why.
/// </summary>
public sealed class HermesValidationTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}, "broken": {{_setup.SshDestination(address: $"127.0.0.1:{FreePort.Next()}")}}}""");
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Theory]
    [InlineData("json", "site.json", "{\"listen\": 80,}")]
    [InlineData("yaml", "deploy/site.yaml", "listen: [80\n")]
    public async Task A_file_that_does_not_parse_delivers_nothing_and_the_target_keeps_its_old_files(string check, string file, string broken)
    {
        var seen = _setup.Root.Combine("seen-revision");
        _setup.WriteHermesFile("app/app.conf", "v1");
        _setup.WriteHermesFile("app/site.json", "{\"listen\": 80}");
        _setup.WriteHermesFile("app/deploy/site.yaml", "listen: 80\n");
        _setup.WriteSources("app.json", $$"""
            [{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"],
              "validate": ["json", "yaml", ["sh", "-c", "printf %s \"$COURIER_REVISION\" > \"$0\"", "{{seen}}"]]}]
            """);
        await using var host = await _setup.StartHostAsync();
        var first = await DeliveryScenario.PostAsync(host, "/update_all");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var firstSource = DeliveryScenario.Source(first.Report, "app");
        Assert.True(firstSource.GetProperty("validation").GetProperty("passed").GetBoolean());
        // A hermes-directory snapshot's revision is its fingerprint: what the check got is what the report names.
        Assert.Equal(firstSource.GetProperty("revision").GetString(), File.ReadAllText(seen));
        Assert.Equal("v1", _setup.ReadTarget("app/app.conf"));

        _setup.WriteHermesFile("app/app.conf", "v2");
        _setup.WriteHermesFile(Path.Combine("app", file), broken);
        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("v1", _setup.ReadTarget("app/app.conf"));
        Assert.NotEqual(broken, _setup.ReadTarget(Path.Combine("app", file)));
        var source = DeliveryScenario.Source(report, "app");
        Assert.Equal($"validation failed, nothing was delivered: check {check} failed.", source.GetProperty("error").GetString());
        Assert.Empty(source.GetProperty("destinations").EnumerateArray());
        Assert.NotEqual(firstSource.GetProperty("revision").GetString(), source.GetProperty("revision").GetString());
        var validation = source.GetProperty("validation");
        Assert.Equal(check, validation.GetProperty("check").GetString());
        Assert.False(validation.GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, validation.GetProperty("exit_code").ValueKind);
        Assert.StartsWith($"{file}: ", validation.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_command_shows_in_the_history_and_on_the_status_page_apart_from_a_failed_delivery()
    {
        _setup.WriteHermesFile("checked/nginx.conf", "server { lisen 80; }");
        _setup.WriteHermesFile("unreachable/app.conf", "never arrives");
        _setup.WriteSources("two.json", """
            [{"type": "hermes-directory", "subdirectory": "checked", "destinations": ["target"],
              "validate": [["sh", "-c", "echo 'nginx: [emerg] unknown directive \"lisen\" in nginx.conf:1' >&2; exit 1"]]},
             {"type": "hermes-directory", "subdirectory": "unreachable", "destinations": ["broken"]}]
            """);
        await using var host = await _setup.StartHostAsync();

        var (status, updateId, _) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Null(_setup.ReadTarget("checked/nginx.conf"));
        var kept = DeliveryScenario.Source(await DeliveryScenario.GetJsonAsync(host, $"/reports/{updateId}"), "checked").GetProperty("validation");
        Assert.Equal(1, kept.GetProperty("exit_code").GetInt32());
        Assert.Equal("nginx: [emerg] unknown directive \"lisen\" in nginx.conf:1", kept.GetProperty("output").GetString());

        var statusJson = await DeliveryScenario.GetJsonAsync(host, "/status");
        var sources = statusJson.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        var checkedSource = sources["hermes-directory:checked"];
        Assert.False(checkedSource.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, checkedSource.GetProperty("pull_error").ValueKind);
        Assert.False(checkedSource.GetProperty("validation").GetProperty("passed").GetBoolean());
        Assert.Empty(checkedSource.GetProperty("targets").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, sources["hermes-directory:unreachable"].GetProperty("validation").ValueKind);

        var page = await host.Client.GetStringAsync("/status");
        var blocks = StatusPageSections.Of(page);
        var (checkedBlock, unreachable) = (blocks["hermes-directory:checked"], blocks["hermes-directory:unreachable"]);
        Assert.Contains("<div class=\"pull invalid\"><strong>validation failed</strong>", checkedBlock, StringComparison.Ordinal);
        Assert.Contains("exit code 1", checkedBlock, StringComparison.Ordinal);
        Assert.Contains("unknown directive &quot;lisen&quot; in nginx.conf:1", checkedBlock, StringComparison.Ordinal);
        Assert.Contains($"href=\"/reports/{updateId}\"", checkedBlock, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"failing\"", checkedBlock, StringComparison.Ordinal);
        Assert.DoesNotContain("validation failed", unreachable, StringComparison.Ordinal);
        Assert.Contains("<td class=\"failing\"", unreachable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_check_is_killed_at_Courier_Timeouts_Validate_and_leaves_no_process()
    {
        var marker = $"{Random.Shared.Next(100000, 999999)}";
        _setup.WriteHermesFile("app/app.conf", "v1");
        _setup.WriteSources("app.json", $$"""
            [{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"],
              "validate": [["sh", "-c", "sleep 600.{{marker}} & sleep 601.{{marker}}"]]}]
            """);
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string> { ["Courier:Timeouts:Validate"] = "00:00:02" });

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var validation = DeliveryScenario.Source(report, "app").GetProperty("validation");
        Assert.Equal(JsonValueKind.Null, validation.GetProperty("exit_code").ValueKind);
        Assert.Contains("sh gave no result within Courier:Timeouts:Validate (00:00:02); it was ended", validation.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Null(_setup.ReadTarget("app/app.conf"));
        Assert.Empty(await ProcessProbe.WaitUntilGoneAsync(marker));
        Assert.DoesNotContain(ProcessProbe.Children(host.ProcessId), child => child.IsDefunct);
    }

    [Fact]
    public async Task A_wrong_validate_list_is_a_configuration_error_of_its_entry_and_the_others_still_deliver()
    {
        _setup.WriteHermesFile("a/a.conf", "a");
        _setup.WriteHermesFile("b/b.conf", "b");
        _setup.WriteSources("ab.json", """
            [{"type": "hermes-directory", "subdirectory": "a", "destinations": ["target"], "validate": ["xml"]},
             {"type": "hermes-directory", "subdirectory": "b", "destinations": ["target"], "validate": [[]]},
             {"type": "hermes-directory", "subdirectory": "a", "destination_path": "a-copy", "destinations": ["target"], "validate": "json"}]
            """);
        _setup.WriteHermesFile("c/c.json", "{}");
        _setup.WriteSources("c.json", """[{"type": "hermes-directory", "subdirectory": "c", "destinations": ["target"], "validate": ["json"]}]""");
        await using var host = await _setup.StartHostAsync();

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("{}", _setup.ReadTarget("c/c.json"));
        Assert.Null(_setup.ReadTarget("a/a.conf"));
        Assert.Null(_setup.ReadTarget("b/b.conf"));
        var errors = report.GetProperty("configuration_errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains("ab.json entry #1: \"validate\" check #1: unknown built-in check \"xml\"", errors[0], StringComparison.Ordinal);
        Assert.Contains("ab.json entry #2: \"validate\" check #1: the command is empty", errors[1], StringComparison.Ordinal);
        Assert.Contains("ab.json entry #3: \"validate\" must be a list of checks", errors[2], StringComparison.Ordinal);
    }
}
