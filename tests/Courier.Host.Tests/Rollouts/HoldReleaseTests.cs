using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Background;
using Courier.Host.Tests.Visibility;
using Courier.Testing;

namespace Courier.Host.Tests.Rollouts;

/// <summary>
/// <c>POST /hold</c> and <c>/release</c> against the published host and a real, watched sshd: a held hermes-directory
/// source is pulled and reported by every trigger and reaches no target, across a restart, until its release
/// delivers it once.
/// </summary>
public sealed class HoldReleaseTests : IAsyncLifetime
{
    private const string Source = "hermes-directory:app";
    private readonly WatchedTarget _watched = new();
    private HermesSetup _setup = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync(_watched.SshOptions());
        _setup.WriteHermesFile("app/app.conf", "v1");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
    }

    public async Task DisposeAsync()
    {
        await _setup.DisposeAsync();
        _watched.Dispose();
    }

    [Fact]
    public async Task A_held_source_is_pulled_and_reported_by_every_trigger_delivers_nothing_across_a_restart_and_its_release_delivers_it_once()
    {
        var agent = _setup.Root.Combine("agent");
        Directory.CreateDirectory(agent);
        await using (var host = await _setup.StartHostAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await DeliveryScenario.PostAsync(host, "/update_all")).Status);
            Assert.Equal(1, _watched.RsyncRuns);

            var (holdStatus, held) = await host.PostAsync("/hold", """{"source": "app", "reason": "canary failing"}""");
            Assert.Equal(HttpStatusCode.OK, holdStatus);
            var hold = Assert.Single(JsonDocument.Parse(held).RootElement.GetProperty("held").EnumerateArray());
            Assert.Equal(Source, hold.GetProperty("source").GetString());
            Assert.Equal("canary failing", hold.GetProperty("reason").GetString());
            var since = hold.GetProperty("since").GetDateTimeOffset();
            Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.Zero, TimeSpan.FromMinutes(1));

            _setup.WriteHermesFile("app/app.conf", "v2");
            _setup.WriteHermesFile("app/new.conf", "new");
            foreach (var (path, body) in new[] { ("/update_all", null), ("/update_from_hermes_directory", """{"subdirectory": "app"}"""), ("/update_hermes", $$"""{"ssh": "{{_setup.Target.Endpoint}}", "path": "{{agent}}"}""") })
            {
                var (status, _, report) = await DeliveryScenario.PostAsync(host, path, body);
                Assert.True(status == HttpStatusCode.OK, $"{path}: {report}");
                AssertHeld(DeliveryScenario.Source(report, "app"), "canary failing", since);
            }

            // The plain answer stays the original's: a hold is no failure.
            Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));
            Assert.Equal("v1", _setup.ReadTarget("app/app.conf"));
            Assert.Null(_setup.ReadTarget("app/new.conf"));
            Assert.False(Directory.Exists(Path.Combine(agent, "app")));
            Assert.Equal(1, _watched.RsyncRuns);

            AssertHeldInStatus(await DeliveryScenario.GetJsonAsync(host, "/status"), "canary failing", since);
            Assert.Contains($"Held {Source} at the request of 127.0.0.1: canary failing", host.Logs, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_setup.StateDirectory, "holds.json")));

            // Holding again changes the reason, never since when.
            var (_, again) = await host.PostAsync("/hold", $$"""{"source": "{{Source}}", "reason": "waiting for the fix"}""");
            Assert.Equal(since, JsonDocument.Parse(again).RootElement.GetProperty("held")[0].GetProperty("since").GetDateTimeOffset());
        }

        await using (var restarted = await _setup.StartHostAsync())
        {
            AssertHeldInStatus(await DeliveryScenario.GetJsonAsync(restarted, "/status"), "waiting for the fix", null);
            var (_, _, afterRestart) = await DeliveryScenario.PostAsync(restarted, "/update_all");
            AssertHeld(DeliveryScenario.Source(afterRestart, "app"), "waiting for the fix", null);
            Assert.Equal("v1", _setup.ReadTarget("app/app.conf"));
            Assert.Equal(1, _watched.RsyncRuns);

            var (status, updateId, released) = await DeliveryScenario.PostAsync(restarted, "/release", """{"source": "app"}""");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(released.GetProperty("id").GetString(), updateId);
            Assert.Equal($"source {Source}", released.GetProperty("trigger").GetString());
            var source = Assert.Single(released.GetProperty("sources").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, source.GetProperty("held").ValueKind);
            Assert.True(Assert.Single(Assert.Single(source.GetProperty("destinations").EnumerateArray()).GetProperty("deliveries").EnumerateArray()).GetProperty("succeeded").GetBoolean());
            Assert.Equal("v2", _setup.ReadTarget("app/app.conf"));
            Assert.Equal("new", _setup.ReadTarget("app/new.conf"));
            Assert.Equal(2, _watched.RsyncRuns);
            var status2 = await DeliveryScenario.GetJsonAsync(restarted, "/status");
            Assert.Empty(status2.GetProperty("holds").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, Assert.Single(status2.GetProperty("sources").EnumerateArray()).GetProperty("held").ValueKind);

            var (notHeld, why) = await restarted.PostAsync("/release", """{"source": "app"}""");
            Assert.Equal(HttpStatusCode.Conflict, notHeld);
            Assert.Contains("is not held", why, StringComparison.Ordinal);

            _setup.WriteHermesFile("app/app.conf", "v3");
            Assert.Equal((HttpStatusCode.OK, "ok"), await restarted.PostAsync("/update_all"));
            Assert.Equal("v3", _setup.ReadTarget("app/app.conf"));
            Assert.Equal(3, _watched.RsyncRuns);
            Assert.Contains($"Released {Source}, held since", restarted.Logs, StringComparison.Ordinal);
        }
    }

    private static void AssertHeld(JsonElement source, string reason, DateTimeOffset? since)
    {
        var held = source.GetProperty("held");
        Assert.Equal(reason, held.GetProperty("reason").GetString());
        if (since is not null)
        {
            Assert.Equal(since, held.GetProperty("since").GetDateTimeOffset());
        }

        Assert.NotNull(source.GetProperty("revision").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("error").ValueKind);
        Assert.Empty(source.GetProperty("destinations").EnumerateArray());
    }

    private static void AssertHeldInStatus(JsonElement status, string reason, DateTimeOffset? since)
    {
        var source = Assert.Single(status.GetProperty("sources").EnumerateArray());
        Assert.Equal(reason, source.GetProperty("held").GetProperty("reason").GetString());
        var hold = Assert.Single(status.GetProperty("holds").EnumerateArray());
        Assert.Equal(Source, hold.GetProperty("source").GetString());
        Assert.Equal(reason, hold.GetProperty("reason").GetString());
        if (since is not null)
        {
            Assert.Equal(since, hold.GetProperty("since").GetDateTimeOffset());
        }
    }
}
