using Courier.Core.Updates;
using Microsoft.Extensions.Time.Testing;

namespace Courier.Core.Tests.Updates;

/// <summary>A storm of requests for one key ends in one run after the running one, once the requests stop.</summary>
public sealed class CoalescingQuietPeriodTests
{
    private static readonly CoalescingOptions Delays = new() { QuietPeriod = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) };
    private readonly FakeTimeProvider _time = new();
    private readonly List<int> _runs = [];

    [Fact]
    public async Task A_hundred_requests_while_a_run_goes_on_make_one_more_run_with_the_newest_work_after_a_second_of_quiet()
    {
        var runner = new CoalescingRunner<string, string, int>(delays: Delays, time: _time);
        var (first, release) = await StartHeldRunAsync(runner);

        var storm = new List<Task<int>>();
        for (var push = 1; push <= 100; push++)
        {
            var request = push;
            storm.Add(runner.RunAsync("source", "destinations", _ => Task.FromResult(Record(request)), CancellationToken.None));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        release.SetResult();
        Assert.Equal(0, await first);
        await WaitForDrainToWaitAsync();
        Assert.Equal([0], Runs());

        // The last request came 50 ms before the running one ended: 950 ms of quiet are still due.
        _time.Advance(TimeSpan.FromMilliseconds(949));
        await WaitForDrainToWaitAsync();
        Assert.Equal([0], Runs());

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var results = await Task.WhenAll(storm);

        Assert.All(results, result => Assert.Equal(100, result));
        Assert.Equal([0, 100], Runs());
    }

    [Fact]
    public async Task Requests_that_never_stop_start_the_pending_run_after_the_maximum_delay()
    {
        var runner = new CoalescingRunner<string, string, int>(delays: Delays, time: _time);
        var (first, release) = await StartHeldRunAsync(runner);
        var pending = runner.RunAsync("source", "destinations", _ => Task.FromResult(Record(1)), CancellationToken.None);
        release.SetResult();
        await first;

        for (var i = 0; i < 29 * 2 && !pending.IsCompleted; i++)
        {
            await WaitForDrainToWaitAsync();
            _ = runner.RunAsync("source", "destinations", _ => Task.FromResult(Record(1)), CancellationToken.None);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.False(pending.IsCompleted, "the pending run started while requests kept coming, before the maximum delay");
        for (var i = 0; i < 10 && !pending.IsCompleted; i++)
        {
            await WaitForDrainToWaitAsync();
            _ = runner.RunAsync("source", "destinations", _ => Task.FromResult(Record(1)), CancellationToken.None);
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(1, await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_first_request_of_an_idle_key_runs_at_once()
    {
        var runner = new CoalescingRunner<string, string, int>(delays: Delays, time: _time);

        var result = await runner.RunAsync("source", "destinations", _ => Task.FromResult(Record(7)), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(7, result);
    }

    /// <summary>Starts run 0 of the key and holds it until the returned source is set.</summary>
    private async Task<(Task<int> Run, TaskCompletionSource Release)> StartHeldRunAsync(CoalescingRunner<string, string, int> runner)
    {
        var going = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var run = runner.RunAsync("source", "destinations", async _ => { going.SetResult(); await release.Task; return Record(0); }, CancellationToken.None);
        await going.Task;
        return (run, release);
    }

    private int Record(int run)
    {
        lock (_runs)
        {
            _runs.Add(run);
        }

        return run;
    }

    private int[] Runs()
    {
        lock (_runs)
        {
            return [.. _runs];
        }
    }

    /// <summary>The drain runs on the thread pool: give it real time to reach its (fake-time) wait.</summary>
    private static Task WaitForDrainToWaitAsync() => Task.Delay(100);
}
