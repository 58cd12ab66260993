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
}
