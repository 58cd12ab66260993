using Courier.Core.Updates;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Updates;

public sealed class CourierUpdaterTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-updater");

    public void Dispose() => _temp.Dispose();

    private CourierUpdater Updater(Action<ICourierBuilder>? register = null)
    {
        var builder = new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _temp.Combine("config");
                o.StateDirectory = _temp.Combine("state");
            })
            .AddSourceFactory<DirectorySourceFactory>()
            .AddDestinationFactory<RecordingDestinationFactory>();
        register?.Invoke(builder);
        return builder.Services.BuildServiceProvider().GetRequiredService<CourierUpdater>();
    }

    [Fact]
    public async Task A_failed_pull_delivers_nothing_for_that_source_and_the_others_still_run()
    {
        var good = _temp.WriteFile("data/good/a.conf", "a");
        _temp.WriteFile("config/sources/s.json", $$"""
            [{"type": "test-directory", "path": "{{Path.GetDirectoryName(good)}}", "destination_path": "good", "destinations": ["box"]},
             {"type": "test-directory", "path": "{{_temp.Combine("data/missing")}}", "destination_path": "missing", "destinations": ["box"]}]
            """);
        _temp.WriteFile("config/destinations.json", """{"box": {"type": "recording", "name": "box"}}""");

        var report = await Updater().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        Assert.False(report.Succeeded);
        var bySource = report.Sources.ToDictionary(s => s.Source);
        var delivered = Assert.Single(Assert.Single(bySource[$"test-directory:{Path.GetDirectoryName(good)}"].Destinations).Deliveries);
        Assert.Equal("box:good", delivered.Target);
        var failed = bySource[$"test-directory:{_temp.Combine("data/missing")}"];
        Assert.Contains("pull failed, nothing was delivered", failed.Error, StringComparison.Ordinal);
        Assert.Empty(failed.Destinations);
    }

    [Fact]
    public async Task Every_destination_of_an_alias_list_is_served_and_one_that_throws_is_reported_alone()
    {
        var data = Path.GetDirectoryName(_temp.WriteFile("data/a/a.conf", "a"))!;
        _temp.WriteFile("config/sources/s.json", $$"""[{"type": "test-directory", "path": "{{data}}", "destination_path": "a", "destinations": ["fan"]}]""");
        _temp.WriteFile("config/destinations.json", """{"fan": [{"type": "recording", "name": "one"}, {"type": "recording", "name": "explode"}, {"type": "recording", "name": "two"}]}""");

        var report = await Updater().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        var destinations = Assert.Single(report.Sources).Destinations;
        Assert.Equal(3, destinations.Count);
        Assert.Equal(["one:a", "two:a"], destinations.SelectMany(d => d.Deliveries).Select(d => d.Target).Order());
        Assert.Contains("explode cannot deliver", Assert.Single(destinations, d => d.Error is not null).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_destination_alias_fails_only_the_sources_that_use_it()
    {
        var data = Path.GetDirectoryName(_temp.WriteFile("data/a/a.conf", "a"))!;
        _temp.WriteFile("config/sources/s.json", $$"""
            [{"type": "test-directory", "path": "{{data}}", "destinations": ["good"]},
             {"type": "test-directory", "path": "{{data}}/", "destinations": ["broken"]}]
            """);
        _temp.WriteFile("config/destinations.json", """{"good": {"type": "recording", "name": "g"}, "broken": {"type": "warp-drive"}}""");

        var report = await Updater().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        Assert.True(report.Sources.Single(s => s.Destinations.Single().Alias == "good").Succeeded);
        var broken = report.Sources.Single(s => s.Destinations.Single().Alias == "broken").Destinations.Single();
        Assert.Contains("unknown destination type \"warp-drive\"", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_updates_of_one_source_never_interleave()
    {
        var probe = new ConcurrencyProbe();
        var updater = Updater(builder => builder.Services.AddSingleton(probe).AddSingleton<ISourceFactory, SlowSourceFactory>());
        _temp.WriteFile("config/sources/s.json", """[{"type": "slow", "name": "one"}, {"type": "slow", "name": "two"}]""");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None)));

        Assert.Equal(1, probe.MaxConcurrentPerSource);
        Assert.Equal(2, probe.MaxConcurrentOverall);
        // Each update pulls each source once, except that updates arriving while one runs fold into one pending run.
        Assert.InRange(probe.Pulls, 4, 8);
    }

    private sealed class ConcurrencyProbe
    {
        private readonly Dictionary<string, int> _running = [];
        private int _overall;

        public int MaxConcurrentPerSource { get; private set; }

        public int MaxConcurrentOverall { get; private set; }

        public int Pulls { get; private set; }

        public async Task RunAsync(string source)
        {
            lock (_running)
            {
                _running[source] = _running.GetValueOrDefault(source) + 1;
                _overall++;
                Pulls++;
                MaxConcurrentPerSource = Math.Max(MaxConcurrentPerSource, _running[source]);
                MaxConcurrentOverall = Math.Max(MaxConcurrentOverall, _overall);
            }

            await Task.Delay(150);
            lock (_running)
            {
                _running[source]--;
                _overall--;
            }
        }
    }

    private sealed class SlowSourceFactory(ConcurrencyProbe probe) : ISourceFactory
    {
        public string Type => "slow";

        public IReadOnlyList<ISource> Create(SourceDefinition definition) => [new SlowSource(definition.GetRequiredString("name"), probe)];
    }

    private sealed class SlowSource(string name, ConcurrencyProbe probe) : ISource
    {
        public string Id => $"slow:{name}";

        public string Type => "slow";

        public IReadOnlyList<string> Destinations => [];

        public bool Matches(UpdateTrigger trigger) => true;

        public async Task<Snapshot> PullAsync(CancellationToken cancellationToken)
        {
            await probe.RunAsync(Id);
            return new Snapshot(Id, "/nonexistent", name, "r");
        }
    }
}
