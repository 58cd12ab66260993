using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Visibility;

namespace Courier.Host.Tests.Rollouts;

/// <summary>Bad bodies of <c>/hold</c> and <c>/release</c>: a 400 (409 for a source not held) naming the field, and nothing held.</summary>
public sealed class HoldInputTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        _setup.WriteHermesFile("app/app.conf", "v1");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Each_bad_body_is_refused_naming_the_field_and_holds_nothing()
    {
        var tooLong = new string('x', 501);
        (string Path, string? Body, HttpStatusCode Status, string Says)[] cases =
        [
            ("/hold", null, HttpStatusCode.BadRequest, "needs a JSON body"),
            ("/hold", "{}", HttpStatusCode.BadRequest, "needs \"source\""),
            ("/hold", """{"source": null}""", HttpStatusCode.BadRequest, "needs \"source\""),
            ("/hold", """{"source": ""}""", HttpStatusCode.BadRequest, "\"source\" must not be empty"),
            ("/hold", """{"source": "  "}""", HttpStatusCode.BadRequest, "\"source\" must not be empty"),
            ("/hold", """{"source": 7}""", HttpStatusCode.BadRequest, "\"source\" must be a string, found a number"),
            ("/hold", """["app"]""", HttpStatusCode.BadRequest, "must be a JSON object with \"source\", found a list"),
            ("/hold", "\"app\"", HttpStatusCode.BadRequest, "must be a JSON object with \"source\", found a string"),
            ("/hold", "{\"source\": \"app\"", HttpStatusCode.BadRequest, "not valid JSON"),
            ("/hold", """{"source": "nowhere"}""", HttpStatusCode.BadRequest, "\"source\": no source has the id or destination path \"nowhere\". Sources: hermes-directory:app."),
            ("/hold", """{"source": "hermes-directory:nowhere"}""", HttpStatusCode.BadRequest, "\"source\": no source has the id"),
            ("/hold", """{"source": "app", "reason": 5}""", HttpStatusCode.BadRequest, "\"reason\" must be a string, found a number"),
            ("/hold", """{"source": "app", "reason": ["a"]}""", HttpStatusCode.BadRequest, "\"reason\" must be a string, found a list"),
            ("/hold", $$"""{"source": "app", "reason": "{{tooLong}}"}""", HttpStatusCode.BadRequest, "\"reason\" must be at most 500 characters, got 501"),
            ("/hold", """{"source": "app", "reason": "two\nlines"}""", HttpStatusCode.BadRequest, "\"reason\" must be one line of text"),
            ("/release", null, HttpStatusCode.BadRequest, "needs a JSON body"),
            ("/release", "{}", HttpStatusCode.BadRequest, "needs \"source\""),
            ("/release", """{"source": false}""", HttpStatusCode.BadRequest, "\"source\" must be a string, found a boolean"),
            ("/release", "[]", HttpStatusCode.BadRequest, "must be a JSON object with \"source\""),
            ("/release", """{"source": "nowhere"}""", HttpStatusCode.BadRequest, "\"source\": no source has the id or destination path \"nowhere\""),
            ("/release", """{"source": "app"}""", HttpStatusCode.Conflict, "\"source\" \"app\" is not held (hermes-directory:app): there is nothing to release"),
            ("/release?dry_run=true", """{"source": "app"}""", HttpStatusCode.BadRequest, "/release has no dry run"),
        ];
        await using var host = await _setup.StartHostAsync();

        foreach (var (path, body, expected, says) in cases)
        {
            var (status, text) = await host.PostAsync(path, body);

            Assert.True(status == expected, $"POST {path} {body}: {(int)status} {text}");
            Assert.Contains(says, text, StringComparison.Ordinal);
        }

        // A reason of exactly 500 characters is kept; a blank one is none.
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/hold", $$"""{"source": "app", "reason": "{{tooLong[..500]}}"}""")).Status);
        var (_, blank) = await host.PostAsync("/hold", """{"source": "/app/", "reason": "   "}""");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(blank).RootElement.GetProperty("held")[0].GetProperty("reason").ValueKind);
        Assert.DoesNotContain("Unhandled exception", host.Logs, StringComparison.OrdinalIgnoreCase);
        var holds = (await DeliveryScenario.GetJsonAsync(host, "/status")).GetProperty("holds");
        Assert.Equal("hermes-directory:app", Assert.Single(holds.EnumerateArray()).GetProperty("source").GetString());
    }

    [Fact]
    public async Task An_unreadable_holds_file_refuses_holds_and_deliveries_saying_which_file()
    {
        Directory.CreateDirectory(_setup.StateDirectory);
        var file = Path.Combine(_setup.StateDirectory, "holds.json");
        File.WriteAllText(file, "{\"holds\": [");
        await using var host = await _setup.StartHostAsync();

        var (holdStatus, holdText) = await host.PostAsync("/hold", """{"source": "app"}""");
        var (updateStatus, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, holdStatus);
        Assert.Contains(file, holdText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, updateStatus);
        var source = DeliveryScenario.Source(report, "app");
        Assert.Contains(file, source.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(source.GetProperty("destinations").EnumerateArray());
        Assert.Null(_setup.ReadTarget("app/app.conf"));
    }
}
