using Courier.Core.Configuration;
using Courier.Core.Rollouts;
using Courier.Core.Updates;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Core.Tests.Rollouts;

/// <summary>Holds in the engine: kept in the state directory, honoured by every update, and the one-source trigger.</summary>
public sealed class HoldTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = TempDirectory.Create("courier-holds");
    private readonly FakeTimeProvider _time = new(Now);

    public HoldTests()
    {
        var app = Path.GetDirectoryName(_temp.WriteFile("data/app/a.conf", "a"))!;
        var web = Path.GetDirectoryName(_temp.WriteFile("data/web/a.conf", "a"))!;
        _temp.WriteFile("data/web-copy/a.conf", "a");
        _temp.WriteFile("config/sources/s.json", $$"""
            [{"type": "test-directory", "path": "{{app}}", "destination_path": "app", "destinations": ["box"]},
             {"type": "test-directory", "path": "{{web}}", "destination_path": "web", "destinations": ["box"]},
             {"type": "test-directory", "path": "{{web}}-copy", "subdirectory": "web", "destinations": ["box"]}]
            """);
        _temp.WriteFile("config/destinations.json", """{"box": {"type": "recording", "name": "box"}}""");
        AppSource = $"test-directory:{app}";
        WebSource = $"test-directory:{web}";
    }

    private string AppSource { get; }

    private string WebSource { get; }

    private string HoldsFile => _temp.Combine("state", HoldStore.FileName);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_hold_survives_a_new_store_holding_again_changes_the_reason_only_and_release_removes_it()
    {
        using (var services = Services())
        {
            var holds = services.GetRequiredService<HoldStore>();
            Assert.False((await holds.HoldAsync(AppSource, "canary failing", CancellationToken.None)).WasHeld);
            _time.Advance(TimeSpan.FromMinutes(5));
            var (again, wasHeld) = await holds.HoldAsync(AppSource, "still failing", CancellationToken.None);
            Assert.True(wasHeld);
            Assert.Equal(new SourceHold(AppSource, "still failing", Now), again);
        }

        Assert.Empty(Directory.GetFiles(_temp.Combine("state"), "*.tmp"));
        using (var restarted = Services())
        {
            var holds = restarted.GetRequiredService<HoldStore>();
            Assert.Equal([new SourceHold(AppSource, "still failing", Now)], await holds.AllAsync(CancellationToken.None));
            Assert.Equal(Now, (await holds.ReleaseAsync(AppSource, CancellationToken.None))!.Since);
            Assert.Null(await holds.ReleaseAsync(AppSource, CancellationToken.None));
        }

        using var released = Services();
        Assert.Empty(await released.GetRequiredService<HoldStore>().AllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_held_source_is_pulled_and_reported_held_and_delivered_nowhere_while_the_others_deliver()
    {
        using var services = Services();
        await services.GetRequiredService<HoldStore>().HoldAsync(AppSource, "canary failing", CancellationToken.None);

        var report = await services.GetRequiredService<CourierUpdater>().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        Assert.True(report.Succeeded);
        var app = Assert.Single(report.Sources, s => s.Source == AppSource);
        Assert.Equal("r1", app.Revision);
        Assert.Equal(new HoldReport("canary failing", Now), app.Held);
        Assert.Empty(app.Destinations);
        var web = Assert.Single(report.Sources, s => s.Source == WebSource);
        Assert.Null(web.Held);
        Assert.Single(Assert.Single(web.Destinations).Deliveries);

        var dryRun = await services.GetRequiredService<CourierUpdater>().DryRunAsync([UpdateTrigger.All], CancellationToken.None);
        var dryApp = Assert.Single(dryRun.Sources, s => s.Source == AppSource);
        Assert.NotNull(dryApp.Held);
        Assert.Single(dryApp.Destinations);
    }

    [Fact]
    public async Task The_one_source_trigger_is_matched_by_id_by_the_engine_whatever_the_source_matches()
    {
        using var services = Services();

        // DirectorySource matches nothing but AllSources.
        var report = await services.GetRequiredService<CourierUpdater>().UpdateAsync(UpdateTrigger.ForSource(WebSource), CancellationToken.None);

        Assert.Equal($"source {WebSource}", report.Trigger);
        Assert.Equal([WebSource], report.Sources.Select(s => s.Source));
    }

    [Fact]
    public async Task An_unreadable_holds_file_delivers_nothing_and_says_which_file()
    {
        Directory.CreateDirectory(_temp.Combine("state"));
        File.WriteAllText(HoldsFile, "{ not json");
        using var services = Services();

        var report = await services.GetRequiredService<CourierUpdater>().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        Assert.All(report.Sources, source =>
        {
            Assert.Empty(source.Destinations);
            Assert.Contains(HoldsFile, source.Error, StringComparison.Ordinal);
        });
        await Assert.ThrowsAsync<HoldStateException>(async () => await services.GetRequiredService<HoldStore>().AllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("app", new[] { "app" })]
    [InlineData("/app/", new[] { "app" })]
    [InlineData("web", new[] { "web", "web-copy" })]
    [InlineData("nowhere", new string[0])]
    [InlineData("/", new string[0])]
    public void An_operator_names_a_source_by_its_id_or_every_source_by_destination_path_or_subdirectory(string name, string[] expected)
    {
        using var services = Services();
        var loaded = services.GetRequiredService<HermesConfigurationLoader>().LoadSources();

        var selected = SourceSelection.Select(loaded, name);

        Assert.Equal(expected.Select(e => $"test-directory:{_temp.Combine("data", e)}"), selected.Select(s => s.Id));
        Assert.Equal([AppSource], SourceSelection.Select(loaded, AppSource).Select(s => s.Id));
    }

    private ServiceProvider Services()
    {
        var builder = new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _temp.Combine("config");
                o.StateDirectory = _temp.Combine("state");
            })
            .AddSourceFactory<DirectorySourceFactory>()
            .AddDestinationFactory<RecordingDestinationFactory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
        return builder.Services.BuildServiceProvider();
    }
}
