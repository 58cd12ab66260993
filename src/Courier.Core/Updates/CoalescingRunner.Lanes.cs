namespace Courier.Core.Updates;

/// <summary>The lanes (one per key) and runs of <see cref="CoalescingRunner{TKey, TMergeKey, TResult}"/>, and the wait for quiet between runs.</summary>
internal sealed partial class CoalescingRunner<TKey, TMergeKey, TResult>
{
    /// <summary>Waits until no request has come to the lane for the quiet period, or for the maximum delay.</summary>
    private async Task WaitForQuietAsync(Lane lane)
    {
        var started = _time.GetTimestamp();
        while (_delays.QuietPeriod > TimeSpan.Zero)
        {
            TimeSpan quiet;
            lock (_lock)
            {
                if (lane.Waiting.Count == 0)
                {
                    return;
                }

                quiet = _time.GetElapsedTime(lane.LastRequest);
            }

            var waited = _time.GetElapsedTime(started);
            if (quiet >= _delays.QuietPeriod || waited >= _delays.MaxDelay)
            {
                return;
            }

            var wait = _delays.QuietPeriod - quiet < _delays.MaxDelay - waited ? _delays.QuietPeriod - quiet : _delays.MaxDelay - waited;
            await Task.Delay(wait, _time).ConfigureAwait(false);
        }
    }

    private sealed class Lane(TKey key)
    {
        public TKey Key { get; } = key;

        public long LastRequest { get; set; }

        public List<Run> Waiting { get; } = [];

        public bool Active { get; set; }
    }

    private sealed class Run(TMergeKey mergeKey)
    {
        public TMergeKey MergeKey { get; } = mergeKey;

        public Func<CancellationToken, Task<TResult>> Work { get; set; } = null!;

        public int Waiters { get; set; }

        public bool Started { get; set; }

        public bool Finished { get; set; }

        // Never disposed: a late caller may still cancel it, and without a timer it holds no unmanaged resource.
        public CancellationTokenSource Cancel { get; } = new();

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
