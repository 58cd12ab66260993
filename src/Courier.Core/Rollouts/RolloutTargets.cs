using Courier.Core.Configuration;
using Courier.Core.Transfer;

namespace Courier.Core.Rollouts;

/// <summary>A target of a rollout, with the destination it belongs to and how that destination publishes.</summary>
internal sealed record PlannedTarget(string Alias, string Type, IDeliveryTarget Target, PublishOptions Publish);

/// <summary>
/// Every target of a source over all its destinations, in a stable order (the source's destinations in turn, each
/// one's targets by name), so the same canary goes first from one update to the next; with the destinations that
/// could not list theirs, as errors of their own.
/// </summary>
internal static class RolloutTargets
{
    public static async Task<(IReadOnlyList<PlannedTarget> Targets, IReadOnlyList<DestinationReport> Errors)> ListAsync(ISource source, Snapshot snapshot, LoadedDestinations loaded, CancellationToken cancellationToken)
    {
        var targets = new List<PlannedTarget>();
        var errors = new List<DestinationReport>();
        foreach (var alias in source.Destinations.Distinct(StringComparer.Ordinal))
        {
            if (loaded.ErrorOf(source, alias) is { } error)
            {
                errors.Add(new DestinationReport(alias, error, []));
                continue;
            }

            foreach (var destination in loaded.Destinations[alias])
            {
                var publish = loaded.PublishingOf(destination);
                if (publish.Mode == PublishMode.Atomic && snapshot.DeliversContents)
                {
                    errors.Add(new DestinationReport(alias, RsyncTransfer.AtomicWholeDirectoryError, []) { Type = destination.Type });
                    continue;
                }

                try
                {
                    var listed = await destination.ListTargetsAsync(cancellationToken).ConfigureAwait(false);
                    targets.AddRange(listed.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new PlannedTarget(alias, destination.Type, t, publish)));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    errors.Add(new DestinationReport(alias, $"{destination.Type} destination could not list its targets: {e.Message}", []) { Type = destination.Type });
                }
            }
        }

        return (targets, errors);
    }
}
