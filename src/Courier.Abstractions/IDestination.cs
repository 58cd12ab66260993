namespace Courier;

/// <summary>Where snapshots are delivered: every Armada agent of a cluster, another Courier, one SSH address.</summary>
public interface IDestination
{
    /// <summary>The alias in <c>destinations.json</c> this destination was made from.</summary>
    string Alias { get; }

    /// <summary>The configuration <c>"type"</c> that made this destination.</summary>
    string Type { get; }

    /// <summary>
    /// Delivers <paramref name="snapshot"/> to every target this destination stands for. A failure of one target
    /// is reported in its result, not thrown; exceptions mean the destination could not even find its targets.
    /// </summary>
    Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken);
}
