using System.Diagnostics;
using System.Diagnostics.Metrics;
using Polly;
using Polly.Retry;

namespace Courier.Core.Transfer;

/// <summary>
/// Retries of a transfer to one target after a transient failure (<see cref="RsyncExitCodes.IsTransient"/>):
/// exponential backoff with jitter, at most <c>Courier:Retries:Attempts</c> tries, and no new try once
/// <c>Courier:Retries:MaxElapsed</c> has passed since the first.
/// </summary>
internal static class TransferRetries
{
    /// <summary>The <c>courier.delivery.retries</c> counter, made once per transfer service on the Courier meter.</summary>
    public static Counter<long> CreateCounter(Meter meter) =>
        meter.CreateCounter<long>("courier.delivery.retries", unit: "{retry}", description: "Transfers tried again after a transient failure");

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the bounds are reached; the result carries the number of tries and the time of them all.</summary>
    public static async Task<TransferResult> RunAsync(CourierRetryOptions options, TimeProvider time, Counter<long> retries, Func<CancellationToken, Task<TransferResult>> attempt, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var started = Stopwatch.StartNew();
        var result = await Pipeline(options, time, started, retries).ExecuteAsync(
            async ct =>
            {
                attempts++;
                return await attempt(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return attempts == 1 ? result : result with
        {
            Attempts = attempts,
            Error = result.Error is null ? null : $"{result.Error} (after {attempts} attempts)",
            Duration = started.Elapsed,
        };
    }

    private static ResiliencePipeline<TransferResult> Pipeline(CourierRetryOptions options, TimeProvider time, Stopwatch started, Counter<long> retries)
    {
        var builder = new ResiliencePipelineBuilder<TransferResult> { TimeProvider = time };
        if (options.Attempts <= 1)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<TransferResult>
        {
            MaxRetryAttempts = options.Attempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.Delay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = arguments => ValueTask.FromResult(
                arguments.Outcome.Result is { Succeeded: false, Fenced: false } failed &&
                RsyncExitCodes.IsTransient(failed.ExitCode, failed.Error) &&
                started.Elapsed < options.MaxElapsed),
            OnRetry = _ =>
            {
                retries.Add(1);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }
}
