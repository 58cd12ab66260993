using System.Diagnostics;
using Courier.Core.Cluster;
using Courier.Core.Configuration;
using Courier.Core.Diagnostics;

namespace Courier.Core.Updates;

/// <summary>
/// Delivers one pulled snapshot to every destination of its source, at most <c>MaxParallelTransfers</c> at once (no more
/// than the host's transfer budget could run anyway, which every transfer also waits for: <see cref="Transfer.TransferBudget"/>).
/// One destination's failure is its own report.
/// </summary>
internal static class DestinationFanOut
{
    public static async Task<IReadOnlyList<DestinationReport>> DeliverAsync(ISource source, Snapshot snapshot, LoadedDestinations loaded, int maxParallel, DeliveryOptions options, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(maxParallel, maxParallel);
        var deliveries = source.Destinations.Select(async alias =>
        {
            if (loaded.ErrorOf(source, alias) is { } error)
            {
                return [new DestinationReport(alias, error, [])];
            }

            var reports = await Task.WhenAll(loaded.Destinations[alias].Select(destination => DeliverInTurnAsync(destination, snapshot, options with { Publish = loaded.PublishingOf(destination), FencingToken = FencingScope.Current }, slots, cancellationToken))).ConfigureAwait(false);
            return (IReadOnlyList<DestinationReport>)reports;
        });

        var results = await Task.WhenAll(deliveries).ConfigureAwait(false);
        return [.. results.SelectMany(reports => reports)];
    }

    private static async Task<DestinationReport> DeliverInTurnAsync(IDestination destination, Snapshot snapshot, DeliveryOptions options, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DeliverAsync(destination, snapshot, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task<DestinationReport> DeliverAsync(IDestination destination, Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        if (options.Publish.Mode == PublishMode.Atomic && snapshot.DeliversContents)
        {
            // Refused before any target is touched: the same for every destination type.
            return new DestinationReport(destination.Alias, Transfer.RsyncTransfer.AtomicWholeDirectoryError, []) { Type = destination.Type };
        }

        using var activity = CourierTelemetry.ActivitySource.StartActivity("courier.deliver")?
            .SetTag("courier.source", snapshot.SourceId).SetTag("courier.destination", destination.Alias).SetTag("courier.destination.type", destination.Type);
        try
        {
            // A plugin built before dry runs gets IDestination's default member: a real delivery as before, or for a
            // dry run a NotSupportedException, reported below like any failure of the destination (nothing was done).
            var results = await destination.DeliverAsync(snapshot, options, cancellationToken).ConfigureAwait(false);
            activity?.SetStatus(results.All(r => r.Succeeded) ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            return new DestinationReport(destination.Alias, null, results) { Type = destination.Type };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return new DestinationReport(destination.Alias, $"{destination.Type} destination failed: {e.Message}", []) { Type = destination.Type };
        }
    }
}
