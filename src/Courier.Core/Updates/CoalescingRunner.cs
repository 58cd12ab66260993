namespace Courier.Core.Updates;

/// <summary>
/// Runs work one run at a time per key and folds requests that arrive while a run of the key is in progress into
/// one pending run: every caller of a pending run gets its result, and the pending run does the work of the newest
/// caller when it starts (so it sees the newest state). A run that has started is never joined, so a caller's result
/// always comes from work that started after the call. Requests of one key with different merge keys (e.g. the
/// configured destinations and one hermes address) are not folded together; they run one after another.
/// A run that waited behind another starts once no request has come for the quiet period (at most the maximum delay
/// after the run before it ended), so a storm of requests makes one run after it, not one per run's length.
/// </summary>
/// <typeparam name="TKey">What runs one at a time (a source's id; a set of triggers).</typeparam>
/// <typeparam name="TMergeKey">Which requests of a key fold together (what is delivered where).</typeparam>
/// <typeparam name="TResult">What a run produces.</typeparam>
internal sealed partial class CoalescingRunner<TKey, TMergeKey, TResult>
    where TKey : notnull
    where TMergeKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Lane> _lanes = [];
    private readonly SemaphoreSlim? _slots;
    private readonly HashSet<Task> _drains = [];
    private readonly CoalescingOptions _delays;
    private readonly TimeProvider _time;
    private int _runs;

    /// <summary>
    /// Creates a runner; with <paramref name="slots"/>, a run waits for a slot before it starts (pending runs hold
    /// none); with <paramref name="delays"/>, a run that waited behind another waits for quiet before it starts.
    /// </summary>
    public CoalescingRunner(SemaphoreSlim? slots = null, CoalescingOptions? delays = null, TimeProvider? time = null)
    {
        _slots = slots;
        _delays = delays ?? new CoalescingOptions { QuietPeriod = TimeSpan.Zero };
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised (outside any lock) when a request was folded into a pending run.</summary>
    public event Action<TKey>? Coalesced;

    /// <summary>Runs started or pending, over all keys.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _runs;
            }
        }
    }

    /// <summary>Whether a run of <paramref name="key"/> is started or pending.</summary>
    public bool IsActive(TKey key)
    {
        lock (_lock)
        {
            return _lanes.ContainsKey(key);
        }
    }

    /// <summary>
    /// Completes when every run started or pending now has ended (a caller that stops waiting does not wait for the
    /// run's end, e.g. for its processes to be killed; shutdown does).
    /// </summary>
    public Task WhenRunsEndAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll([.. _drains]);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for <paramref name="key"/>, or joins the pending run of the key and merge key.
    /// The run is cancelled when every caller waiting for it has cancelled.
    /// </summary>
    public Task<TResult> RunAsync(TKey key, TMergeKey mergeKey, Func<CancellationToken, Task<TResult>> work, CancellationToken cancellationToken) =>
        TryRun(key, mergeKey, work, int.MaxValue, cancellationToken) ?? throw new InvalidOperationException("unreachable: no run limit");

    /// <summary>
    /// As <see cref="RunAsync"/>, but refuses (returns <see langword="null"/>) when the request would add a run while
    /// <paramref name="maxRuns"/> runs are started or pending. Joining a pending run is always accepted.
    /// </summary>
    public Task<TResult>? TryRun(TKey key, TMergeKey mergeKey, Func<CancellationToken, Task<TResult>> work, int maxRuns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(mergeKey);
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        Run run;
        bool joined;
        var startLane = false;
        Lane lane;
        lock (_lock)
        {
            if (!_lanes.TryGetValue(key, out lane!))
            {
                lane = new Lane(key);
            }

            var pending = lane.Waiting.FirstOrDefault(r => EqualityComparer<TMergeKey>.Default.Equals(r.MergeKey, mergeKey) && r.Waiters > 0);
            joined = pending is not null;
            if (pending is null && _runs >= maxRuns)
            {
                return null;
            }

            _lanes[key] = lane;
            lane.LastRequest = _time.GetTimestamp();
            run = pending ?? new Run(mergeKey);
            run.Work = work;
            run.Waiters++;
            if (!joined)
            {
                lane.Waiting.Add(run);
                _runs++;
                startLane = !lane.Active;
                lane.Active = true;
            }
        }

        if (joined)
        {
            Coalesced?.Invoke(key);
        }

        if (startLane)
        {
            var drain = Task.Run(() => DrainAsync(lane));
            lock (_lock)
            {
                _drains.Add(drain);
            }

            _ = drain.ContinueWith(
                ended =>
                {
                    lock (_lock)
                    {
                        _drains.Remove(ended);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return WaitAsync(lane, run, cancellationToken);
    }

    private async Task<TResult> WaitAsync(Lane lane, Run run, CancellationToken cancellationToken)
    {
        try
        {
            return await run.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !run.Completion.Task.IsCompleted)
        {
            Leave(lane, run);
            throw;
        }
    }

    /// <summary>A caller stopped waiting: the last one to go cancels the run (or drops it when it has not started).</summary>
    private void Leave(Lane lane, Run run)
    {
        lock (_lock)
        {
            if (--run.Waiters > 0 || run.Finished)
            {
                return;
            }

            if (!run.Started)
            {
                lane.Waiting.Remove(run);
                run.Finished = true;
                _runs--;
                run.Completion.TrySetCanceled();
                return;
            }
        }

        run.Cancel.Cancel();
    }

    /// <summary>Runs the lane's pending runs one after another until none is left.</summary>
    private async Task DrainAsync(Lane lane)
    {
        for (var first = true; ; first = false)
        {
            if (!first)
            {
                await WaitForQuietAsync(lane).ConfigureAwait(false);
            }

            if (_slots is not null)
            {
                await _slots.WaitAsync().ConfigureAwait(false);
            }

            Run run;
            lock (_lock)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.Active = false;
                    _lanes.Remove(lane.Key);
                    _slots?.Release();
                    return;
                }

                run = lane.Waiting[0];
                lane.Waiting.RemoveAt(0);
                run.Started = true;
            }

            try
            {
                var result = await run.Work(run.Cancel.Token).ConfigureAwait(false);
                run.Completion.TrySetResult(result);
            }
            catch (OperationCanceledException) when (run.Cancel.IsCancellationRequested)
            {
                run.Completion.TrySetCanceled(run.Cancel.Token);
            }
            catch (Exception e)
            {
                run.Completion.TrySetException(e);
            }
            finally
            {
                _slots?.Release();
                lock (_lock)
                {
                    run.Finished = true;
                    _runs--;
                }
            }
        }
    }
}
