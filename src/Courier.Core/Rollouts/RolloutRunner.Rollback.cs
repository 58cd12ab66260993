using Courier.Core.Transfer;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Rollouts;

/// <summary>A stopped rollout: every target it may have switched goes back to what it had.</summary>
internal sealed partial class RolloutRunner
{
    /// <summary>A snapshot whose files Courier does not have: sent only with <see cref="DeliveryOptions.OnlyKeptRelease"/>, never transferred.</summary>
    internal const string NoFiles = "/nonexistent/courier-release-kept-on-the-target";

    /// <summary>
    /// Sends back every target of the delivered waves that may have switched: all but those that already held the
    /// revision and the atomic ones whose delivery failed (they never left their release). An atomic target goes back to
    /// the release it had before this rollout, by one rename (even on a source's first rollout, when Courier keeps no
    /// revision yet); any other target gets the revision of the last completed rollout, as Courier kept it.
    /// </summary>
    private async Task<(RolloutReport Report, List<(int Index, DeliveryResult Result)> Rollbacks)> RollBackAsync(ISource source, Snapshot snapshot, IReadOnlyList<PlannedTarget> targets, IReadOnlyList<DeliveryResult>[] results, int delivered, RolloutReport report, CancellationToken cancellationToken)
    {
        var switched = Enumerable.Range(0, delivered)
            .Where(i => !results[i].All(r => r.Unchanged) && !(results[i].All(r => !r.Succeeded) && targets[i].Publish.Mode == PublishMode.Atomic))
            .ToList();
        var rollbacks = new List<(int Index, DeliveryResult Result)>();
        if (switched.Count == 0)
        {
            return (report, rollbacks);
        }

        var previous = kept.Find(source.Id) is { } found && found.Revision != snapshot.Revision ? found : null;
        var outcomes = new RollbackResult[switched.Count];
        var revisions = new string?[switched.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, switched.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelTransfers, CancellationToken = cancellationToken },
            async (n, ct) =>
            {
                var planned = targets[switched[n]];
                var (back, sendOptions) = WayBack(planned, results[switched[n]], snapshot, previous);
                if (back is null)
                {
                    outcomes[n] = new RollbackResult(planned.Target.Name, false, "no earlier revision of this source is kept to roll back to (one is kept when a rollout completes), and the target keeps no release it had before");
                    return;
                }

                var answer = await sharing.DeliverOneAsync(planned, back, sendOptions, ct).ConfigureAwait(false);
                var error = answer.FirstOrDefault(r => !r.Succeeded)?.Error;
                outcomes[n] = new RollbackResult(planned.Target.Name, error is null, error);
                revisions[n] = back.Revision;
                lock (rollbacks)
                {
                    rollbacks.AddRange(answer.Select(r => (switched[n], r.Succeeded ? r with { Revision = r.Revision ?? back.Revision, Note = $"rolled back to {back.Revision}" } : r)));
                }
            }).ConfigureAwait(false);
        var to = revisions.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        LogRolledBack(source.Id, string.Join(", ", to), outcomes.Count(o => o.Succeeded), outcomes.Length);
        return (report with { RolledBack = outcomes, RolledBackTo = to.Count == 1 ? to[0] : previous?.Revision }, rollbacks);
    }

    /// <summary>What a switched target is sent back to, and how: its own previous release, or the kept revision.</summary>
    private static (Snapshot? Back, DeliveryOptions Options) WayBack(PlannedTarget planned, IReadOnlyList<DeliveryResult> delivery, Snapshot snapshot, Snapshot? previous)
    {
        var options = new DeliveryOptions { Publish = planned.Publish, ReuseKeptRelease = true };
        var before = planned.Publish.Mode == PublishMode.Atomic ? delivery.Select(r => r.CurrentRevision).FirstOrDefault(r => r is not null) : null;
        if (before is null || before == AtomicRelease.NameOf(snapshot.Revision) || (previous is not null && AtomicRelease.NameOf(previous.Revision) == before))
        {
            return (previous, options);
        }

        return (new Snapshot(snapshot.SourceId, NoFiles, snapshot.DestinationPath, before), options with { OnlyKeptRelease = true });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout of {Source}: rolled back to {Revision}, {Succeeded} of {Count} targets")]
    private partial void LogRolledBack(string source, string revision, int succeeded, int count);
}
