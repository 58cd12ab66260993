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

    /// <summary>
    /// Delivers <paramref name="snapshot"/> as <paramref name="options"/> say. In a dry run nothing changes on any
    /// target, and each result's <see cref="DeliveryResult.Changes"/> says what a delivery would change there (pass
    /// <paramref name="options"/> on to <see cref="IFileTransfer"/>). A destination built before dry runs existed
    /// answers a dry run, or an atomic publish, with <see cref="NotSupportedException"/>: it is never delivered to for real
    /// by mistake, nor in place when releases were asked for.
    /// </summary>
    Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DryRun)
        {
            throw new NotSupportedException($"the {Type} destination cannot do a dry run (its plugin was built before dry runs); nothing was done.");
        }

        return options.Publish.Mode == PublishMode.InPlace
            ? DeliverAsync(snapshot, cancellationToken)
            : throw new NotSupportedException($"the {Type} destination cannot publish atomically (its plugin was built before atomic publish); nothing was done.");
    }

    /// <summary>
    /// The targets this destination stands for, each delivered to on its own by a rollout's waves. A destination
    /// built before rollouts is one target (<see cref="WholeDestinationTarget"/>). Exceptions mean the destination
    /// could not even find its targets.
    /// </summary>
    Task<IReadOnlyList<IDeliveryTarget>> ListTargetsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IDeliveryTarget>>([new WholeDestinationTarget(this)]);
}
