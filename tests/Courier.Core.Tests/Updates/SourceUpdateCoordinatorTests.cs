using Courier.Core.Updates;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Updates;

/// <summary>One update of a source at a time; triggers arriving meanwhile fold into one pending update that pulls afresh.</summary>
public sealed class SourceUpdateCoordinatorTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = TempDirectory.Create("courier-coordinator");
    private readonly string _name = Guid.NewGuid().ToString("N");

    public void Dispose() => _temp.Dispose();

    private GatedSource Source => GatedSource.Get(_name);

    private CourierUpdater Updater(int maxParallelSources = 4, string? otherSource = null)
    {
        var others = otherSource is null ? string.Empty : $$""", {"type": "test-gated", "name": "{{otherSource}}", "destinations": ["box"]}""";
        _temp.WriteFile("config/sources/s.json", $$"""[{"type": "test-gated", "name": "{{_name}}", "destinations": ["box"]}{{others}}]""");
        _temp.WriteFile("config/destinations.json", """{"box": {"type": "recording", "name": "box"}}""");
        return new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _temp.Combine("config");
                o.StateDirectory = _temp.Combine("state");
                o.MaxParallelSources = maxParallelSources;
            })
            .AddSourceFactory<GatedSourceFactory>()
            .AddDestinationFactory<RecordingDestinationFactory>()
            .Services.BuildServiceProvider().GetRequiredService<CourierUpdater>();
    }

    [Fact]
    public async Task Two_hundred_triggers_during_an_update_make_one_more_pull_that_sees_the_newest_head()
    {
        var updater = Updater();
        var first = updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));

        var later = new List<Task<UpdateReport>>();
        for (var i = 1; i <= 200; i++)
        {
            Source.Head = $"r{i}";
            later.Add(updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None));
        }

        Source.Open();
        Assert.Equal("r0", Assert.Single((await first.WaitAsync(Patience)).Sources).Revision);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));
        Source.Open();
        var reports = await Task.WhenAll(later).WaitAsync(Patience);

        Assert.Equal(2, Source.Pulls);
        Assert.All(reports, report => Assert.Equal("r200", Assert.Single(report.Sources).Revision));
        Assert.All(reports, report => Assert.True(report.Succeeded));
    }

    [Fact]
    public async Task A_caller_arriving_during_an_update_gets_the_report_of_a_pull_that_started_after_its_call()
    {
        var updater = Updater();
        var first = updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));

        // The commit lands after the running pull read the head; the caller must not get that stale report.
        Source.Head = "pushed-after-the-first-pull-started";
        var second = updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        Source.Open();
        await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));
        Source.Open();

        Assert.Equal("pushed-after-the-first-pull-started", Assert.Single((await second.WaitAsync(Patience)).Sources).Revision);
    }

    [Fact]
    public async Task A_pending_update_keeps_running_for_the_callers_that_still_wait_when_one_gives_up()
    {
        var updater = Updater();
        var first = updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));
        using var impatient = new CancellationTokenSource();
        var givesUp = updater.UpdateAsync(UpdateTrigger.All, impatient.Token);
        var waits = updater.UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givesUp.WaitAsync(Patience));
        Source.Open();
        await first.WaitAsync(Patience);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));
        Source.Open();

        Assert.True((await waits.WaitAsync(Patience)).Succeeded);
        Assert.Equal(2, Source.Pulls);
    }

    [Fact]
    public async Task A_running_update_is_cancelled_once_every_caller_waiting_for_it_gave_up()
    {
        var updater = Updater();
        using var first = new CancellationTokenSource();
        var one = updater.UpdateAsync(UpdateTrigger.All, first.Token);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));

        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => one.WaitAsync(Patience));
        await GatedSourceWaits.UntilAsync(() => Source.CancelledPulls == 1);
        Assert.Equal(1, Source.Pulls);
    }

    [Fact]
    public async Task A_source_whose_update_hangs_does_not_hold_up_another_source()
    {
        var other = Guid.NewGuid().ToString("N");
        var updater = Updater(maxParallelSources: 2, otherSource: other);
        using var giveUp = new CancellationTokenSource();
        var hung = updater.UpdateAsync(UpdateTrigger.All, giveUp.Token);
        Assert.True(await Source.PullStarted.WaitAsync(Patience));
        Assert.True(await GatedSource.Get(other).PullStarted.WaitAsync(Patience));

        // The second update of both: the hung source's part waits behind its running update, the other one runs.
        var next = updater.UpdateAsync(UpdateTrigger.All, giveUp.Token);
        GatedSource.Get(other).Open();
        Assert.True(await GatedSource.Get(other).PullStarted.WaitAsync(Patience));
        GatedSource.Get(other).Open();
        Assert.Equal(2, GatedSource.Get(other).Pulls);
        Assert.Equal(1, Source.Pulls);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(hung, next).WaitAsync(Patience));
    }
}

internal static class GatedSourceWaits
{
    public static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never came true");
            await Task.Delay(20);
        }
    }
}
