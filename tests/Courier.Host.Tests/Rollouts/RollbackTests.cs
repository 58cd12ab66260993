using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Visibility;
using Xunit.Abstractions;

namespace Courier.Host.Tests.Rollouts;

/// <summary><c>POST /rollback</c> with and without a revision, through the waves, and what it holds; to ten real sshd targets.</summary>
public sealed class RollbackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RolloutFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _fleet = await RolloutFleet.StartAsync();
        _fleet.Configure($$$"""{"waves": [1, "50%", "100%"], "health": {"http": "{{{_fleet.HealthUrl}}}", "attempts": 1}}""");
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_rollback_switches_every_target_back_by_its_kept_release_holds_the_source_and_release_lets_triggers_flow_again()
    {
        await using var host = await _fleet.Setup.StartHostAsync();
        _fleet.Setup.WriteHermesFile("app/app.conf", "v1");
        var first = (await DeliveryScenario.PostAsync(host, "/update_all")).Report.GetProperty("sources")[0].GetProperty("revision").GetString()!;
        var v1Releases = _fleet.Targets.ToDictionary(t => t.Host, _fleet.LiveRelease);
        _fleet.Setup.WriteHermesFile("app/app.conf", "v2");
        var second = (await DeliveryScenario.PostAsync(host, "/update_all")).Report.GetProperty("sources")[0].GetProperty("revision").GetString()!;
        Assert.All(_fleet.Targets, t => Assert.Equal("v2", _fleet.Read(t, "app/app.conf")));

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/rollback", """{"source": "app"}""");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        output.WriteLine($"POST /rollback to 10 targets in 3 waves, by renames: {report.GetProperty("duration").GetString()}");
        var source = report.GetProperty("sources")[0];
        Assert.Equal(first, source.GetProperty("revision").GetString());
        Assert.Equal(3, source.GetProperty("rollout").GetProperty("waves").GetArrayLength());
        Assert.All(_fleet.Targets, t => Assert.Equal(v1Releases[t.Host], _fleet.LiveRelease(t)));
        Assert.All(source.GetProperty("destinations")[0].GetProperty("deliveries").EnumerateArray(), d => Assert.Equal(0, d.GetProperty("bytes_sent").GetInt64()));
        Assert.Contains($"rolled back to {first}", source.GetProperty("held").GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Held: a trigger is recorded with its revision and delivers nothing.
        var held = (await DeliveryScenario.PostAsync(host, "/update_all")).Report.GetProperty("sources")[0];
        Assert.Equal(second, held.GetProperty("revision").GetString());
        Assert.Equal(0, held.GetProperty("destinations").GetArrayLength());
        Assert.All(_fleet.Targets, t => Assert.Equal("v1", _fleet.Read(t, "app/app.conf")));

        var forward = (await DeliveryScenario.PostAsync(host, "/rollback", $$"""{"source": "hermes-directory:app", "revision": "{{second}}"}""")).Report.GetProperty("sources")[0];
        Assert.Equal(second, forward.GetProperty("revision").GetString());
        Assert.All(_fleet.Targets, t => Assert.Equal("v2", _fleet.Read(t, "app/app.conf")));

        _fleet.Setup.WriteHermesFile("app/app.conf", "v3");
        var (released, _, releaseReport) = await DeliveryScenario.PostAsync(host, "/release", """{"source": "app"}""");
        Assert.True(released == HttpStatusCode.OK, releaseReport.ToString());
        Assert.All(_fleet.Targets, t => Assert.Equal("v3", _fleet.Read(t, "app/app.conf")));
        Assert.Equal(JsonValueKind.Null, (await DeliveryScenario.PostAsync(host, "/update_all")).Report.GetProperty("sources")[0].GetProperty("held").ValueKind);
    }

    [Fact]
    public async Task A_source_without_a_rollout_is_rolled_back_by_switching_each_target_to_the_release_it_keeps()
    {
        _fleet.Setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["fleet"]}]""");
        await using var host = await _fleet.Setup.StartHostAsync();
        _fleet.Setup.WriteHermesFile("app/app.conf", "v1");
        var (refused, _) = await host.PostAsync("/rollback", """{"source": "app"}""");
        Assert.Equal(HttpStatusCode.Conflict, refused);
        var first = (await DeliveryScenario.PostAsync(host, "/update_all")).Report.GetProperty("sources")[0].GetProperty("revision").GetString()!;
        var v1Releases = _fleet.Targets.ToDictionary(t => t.Host, _fleet.LiveRelease);
        _fleet.Setup.WriteHermesFile("app/app.conf", "v2");
        Assert.Equal(HttpStatusCode.OK, (await DeliveryScenario.PostAsync(host, "/update_all")).Status);

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/rollback", """{"source": "app"}""");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        var source = report.GetProperty("sources")[0];
        Assert.Equal(first, source.GetProperty("revision").GetString());
        Assert.All(_fleet.Targets, t => Assert.Equal(v1Releases[t.Host], _fleet.LiveRelease(t)));
        Assert.All(_fleet.Targets, t => Assert.Equal("v1", _fleet.Read(t, "app/app.conf")));
        Assert.All(source.GetProperty("destinations")[0].GetProperty("deliveries").EnumerateArray(), d => Assert.Equal(0, d.GetProperty("bytes_sent").GetInt64()));
        Assert.Contains($"rolled back to {first}", source.GetProperty("held").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_fleet.Setup.StateDirectory, "rollouts")), "no copy of a revision is kept for a source without a rollout");
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_changes_nothing()
    {
        await using var host = await _fleet.Setup.StartHostAsync();
        (string Body, int Status, string Message)[] cases =
        [
            ("""{"source": "nothing-like-it"}""", 400, "\"source\": no source has the id or destination path"),
            ("""{"revision": "abc"}""", 400, "source"),
            ("""{"source": "app", "revision": 7}""", 400, "revision"),
            ("""{"source": "app", "revision": "0123456789abcdef"}""", 409, "\"revision\": Courier keeps no revision"),
            ("""["app"]""", 400, "JSON object"),
        ];

        foreach (var (body, expected, message) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/rollback") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            using var response = await host.Client.SendAsync(request);

            Assert.True(expected == (int)response.StatusCode, $"{body}: {(int)response.StatusCode}");
            Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.All(_fleet.Targets, t => Assert.False(File.Exists(Path.Combine(_fleet.PathOf(t), "app"))));
    }
}
