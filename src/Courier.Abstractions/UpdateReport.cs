namespace Courier;

/// <summary>What one update did: every source, every destination, every target, or the error.</summary>
/// <param name="Trigger">What asked for the update.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="ConfigurationErrors">Entries that could not be read (each one skipped; the others ran).</param>
/// <param name="Sources">The sources that matched the trigger.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record UpdateReport(
    string Trigger,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<string> ConfigurationErrors,
    IReadOnlyList<SourceReport> Sources)
{
    /// <summary>
    /// The update's id: in every log line of the update, the <c>X-Courier-Update-Id</c> response header and the
    /// report history. Empty when the report was not made by an updater.
    /// </summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>
    /// Whether this was a dry run: nothing was delivered, each delivery's <see cref="DeliveryResult.Changes"/> says
    /// what a delivery would change, and the report never counts as what a target has.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>The cluster member that ran the update (several Couriers as one); null on a single node.</summary>
    public string? Member { get; init; }

    /// <summary>Whether everything went well: no configuration error, every source pulled and delivered everywhere.</summary>
    public bool Succeeded => ConfigurationErrors.Count == 0 && Sources.All(s => s.Succeeded);
}

/// <summary>What happened to one source.</summary>
/// <param name="Source">The source's id.</param>
/// <param name="Type">The source's type.</param>
/// <param name="Revision">What was pulled, when the pull succeeded.</param>
/// <param name="Error">Why the pull, or the validation of what it pulled, failed (nothing was then delivered).</param>
/// <param name="Destinations">One entry per destination alias.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record SourceReport(string Source, string Type, string? Revision, string? Error, IReadOnlyList<DestinationReport> Destinations)
{
    /// <summary>
    /// What the source's <c>"validate"</c> checks found, when it has any and its pull succeeded; null otherwise. When
    /// a check failed, <see cref="Error"/> says so too, <see cref="Revision"/> is what was pulled and nothing was
    /// delivered.
    /// </summary>
    public ValidationReport? Validation { get; init; }

    /// <summary>
    /// The source's hold, when it was held at the time of delivery: it was pulled and validated (<see cref="Revision"/>
    /// is what was pulled) and, unless the update was a dry run, nothing was delivered (<see cref="Destinations"/> is
    /// empty); null when the source was not held.
    /// </summary>
    public HoldReport? Held { get; init; }

    /// <summary>How the source's <c>"rollout"</c> went, when it has one and its pull and validation passed; null otherwise.</summary>
    public RolloutReport? Rollout { get; init; }

    /// <summary>Whether the pull and every delivery succeeded (and the rollout, when there is one, completed).</summary>
    public bool Succeeded => Error is null && Destinations.All(d => d.Succeeded) && Rollout?.Outcome != RolloutReport.Stopped;
}

/// <summary>What happened at one destination alias.</summary>
/// <param name="Alias">The alias.</param>
/// <param name="Error">Why the destination could not be served at all (unknown alias, discovery failed).</param>
/// <param name="Deliveries">One entry per target reached or missed.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record DestinationReport(string Alias, string? Error, IReadOnlyList<DeliveryResult> Deliveries)
{
    /// <summary>The destination's type (<c>ssh</c>, <c>armada-local</c>, ...), when one was configured.</summary>
    public string? Type { get; init; }

    /// <summary>Whether every target got the files.</summary>
    public bool Succeeded => Error is null && Deliveries.All(d => d.Succeeded);
}
