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
    public async Task Atomic_publish_is_refused_for_a_whole_hermes_directory_and_by_a_plugin_built_before_it_and_in_place_still_delivers()
    {
        var whole = Path.GetDirectoryName(_temp.WriteFile("data/whole/a.conf", "a"))!;
        var app = Path.GetDirectoryName(_temp.WriteFile("data/app/a.conf", "a"))!;
        _temp.WriteFile("config/sources/s.json", $$"""
            [{"type": "test-directory", "path": "{{whole}}", "destinations": ["atomic", "plain"]},
             {"type": "test-directory", "path": "{{app}}", "destination_path": "app", "destinations": ["atomic"]}]
            """);
        _temp.WriteFile("config/destinations.json", """{"atomic": {"type": "recording", "name": "a", "publish": "atomic"}, "plain": {"type": "recording", "name": "p"}}""");

        var report = await Updater().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        var bySource = report.Sources.ToDictionary(s => s.Source);
        var toWhole = bySource[$"test-directory:{whole}"].Destinations.ToDictionary(d => d.Alias);
        Assert.Contains("cannot be used for a source that delivers the whole hermes directory", toWhole["atomic"].Error, StringComparison.Ordinal);
        Assert.Empty(toWhole["atomic"].Deliveries);
        Assert.True(Assert.Single(toWhole["plain"].Deliveries).Succeeded);
        var toApp = Assert.Single(bySource[$"test-directory:{app}"].Destinations);
        Assert.Contains("cannot publish atomically (its plugin was built before atomic publish)", toApp.Error, StringComparison.Ordinal);
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
    public async Task A_dry_run_never_delivers_through_a_destination_built_before_dry_runs_and_is_marked_as_one()
    {
        var data = Path.GetDirectoryName(_temp.WriteFile("data/a/a.conf", "a"))!;
        _temp.WriteFile("config/sources/s.json", $$"""[{"type": "test-directory", "path": "{{data}}", "destination_path": "a", "destinations": ["old"]}]""");
        _temp.WriteFile("config/destinations.json", """{"old": {"type": "recording", "name": "old"}}""");
        var updater = Updater();

        var report = await updater.DryRunAsync([UpdateTrigger.All], CancellationToken.None);

        Assert.True(report.DryRun);
        Assert.False(report.Succeeded);
        var source = Assert.Single(report.Sources);
        Assert.NotNull(source.Revision);
        var destination = Assert.Single(source.Destinations);
        Assert.Empty(destination.Deliveries);
        Assert.Contains("the recording destination cannot do a dry run", destination.Error, StringComparison.Ordinal);

        var real = await updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        Assert.False(real.DryRun);
        Assert.Equal("old:a", Assert.Single(Assert.Single(Assert.Single(real.Sources).Destinations).Deliveries).Target);
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
        // Each update pulls each source once, except that updates arriving before a source's run starts fold into one
        // run (all four, when none has started yet): at least one pull per source, at most one per update and source.
        Assert.InRange(probe.Pulls, 2, 8);
    }

    [Fact]
    public async Task A_source_delivers_to_at_most_MaxParallelTransfers_destinations_at_once_and_to_every_one_in_the_end()
    {
        var gate = new DeliveryGate();
        var updater = Updater(builder => builder.Services.AddSingleton(gate).AddSingleton<IDestinationFactory, GatedDestinationFactory>()
            .Configure<CourierOptions>(o => o.MaxParallelTransfers = 2));
        var data = Path.GetDirectoryName(_temp.WriteFile("data/a/a.conf", "a"))!;
        _temp.WriteFile("config/sources/s.json", $$"""[{"type": "test-directory", "path": "{{data}}", "destination_path": "a", "destinations": ["many", "more"]}]""");
        _temp.WriteFile("config/destinations.json", """
            {"many": [{"type": "gated", "name": "1"}, {"type": "gated", "name": "2"}, {"type": "gated", "name": "3"}, {"type": "gated", "name": "4"}],
             "more": [{"type": "gated", "name": "5"}, {"type": "gated", "name": "6"}]}
            """);

        var update = updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Without the limit the other four would all have started by now (over both aliases).
        await Task.Delay(300);
        Assert.Equal(2, gate.Running);
        gate.Open.SetResult();
        var report = await update.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(report.Succeeded);
        Assert.Equal(["1:a", "2:a", "3:a", "4:a", "5:a", "6:a"], report.Sources.Single().Destinations.SelectMany(d => d.Deliveries).Select(d => d.Target).Order());
        Assert.Equal(2, gate.MaxRunning);
    }

    private sealed class DeliveryGate
    {
        private int _running;
        private int _maxRunning;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Running => Volatile.Read(ref _running);

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public async Task PassAsync(CancellationToken cancellationToken)
        {
            var running = Interlocked.Increment(ref _running);
            InterlockedMax(ref _maxRunning, running);
            if (running == 2)
            {
                Started.TrySetResult();
            }

            await Open.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _running);
        }

        private static void InterlockedMax(ref int location, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, seen) != seen)
            {
            }
        }
    }

    private sealed class GatedDestinationFactory(DeliveryGate gate) : IDestinationFactory
    {
        public string Type => "gated";

        public IDestination Create(DestinationDefinition definition) => new GatedDestination(definition.Alias, definition.GetRequiredString("name"), gate);
    }

    private sealed class GatedDestination(string alias, string name, DeliveryGate gate) : IDestination
    {
        public string Alias => alias;

        public string Type => "gated";

        public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken)
        {
            await gate.PassAsync(cancellationToken);
            return [DeliveryResult.Success($"{name}:{snapshot.DestinationPath}", 1, TimeSpan.Zero)];
        }
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
