namespace Courier.Core.Updates;

/// <summary>
/// Runs Courier updates in-process: reads the configuration afresh, pulls the sources a trigger concerns and
/// delivers them to their destinations, then reports. Registered by <c>AddCourier</c>; what an embedding app
/// resolves from its service provider.
/// </summary>
public interface ICourierUpdater
{
    /// <summary>Delivers the sources <paramref name="trigger"/> concerns to their destinations.</summary>
    Task<UpdateReport> UpdateAsync(UpdateTrigger trigger, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers the sources any of <paramref name="triggers"/> concerns (each source once), e.g. a GitLab push that
    /// names its repository by several URLs.
    /// </summary>
    Task<UpdateReport> UpdateAsync(IReadOnlyList<UpdateTrigger> triggers, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers every source to the one hermes address <paramref name="target"/> (what <c>POST /update_hermes</c>
    /// does), with the configured default SSH login.
    /// </summary>
    Task<UpdateReport> UpdateHermesAsync(HermesAddress target, CancellationToken cancellationToken);

    /// <summary>
    /// A dry run of <see cref="UpdateAsync(IReadOnlyList{UpdateTrigger}, CancellationToken)"/>: pulls and validates as an
    /// update does, then changes nothing on any target and reports for each what a delivery would change
    /// (<see cref="DeliveryResult.Changes"/>) and the revision it has as far as Courier knows
    /// (<see cref="DeliveryResult.CurrentRevision"/>). The report is marked <see cref="UpdateReport.DryRun"/>.
    /// </summary>
    Task<UpdateReport> DryRunAsync(IReadOnlyList<UpdateTrigger> triggers, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot do a dry run.");
}
