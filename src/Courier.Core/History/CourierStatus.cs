using Courier.Core.Rollouts;

namespace Courier.Core.History;

/// <summary>What Courier last did for each source, computed from the report history.</summary>
/// <param name="GeneratedAt">When it was computed.</param>
/// <param name="LastUpdate">The newest report's id, if any.</param>
/// <param name="Sources">One entry per source seen in the history, by id.</param>
public sealed record CourierStatus(DateTimeOffset GeneratedAt, string? LastUpdate, IReadOnlyList<SourceStatus> Sources)
{
    /// <summary>
    /// Every held source, by id, with why and since when (also those not in the history yet); each held source of
    /// <see cref="Sources"/> has its hold in <see cref="SourceStatus.Held"/> too.
    /// </summary>
    public IReadOnlyList<SourceHold> Holds { get; init; } = [];
}

/// <summary>The state of one source.</summary>
/// <param name="Source">The source's id.</param>
/// <param name="Type">The source's type.</param>
/// <param name="Revision">The last revision pulled.</param>
/// <param name="PulledAt">When that revision was pulled.</param>
/// <param name="PullError">The last pull's error, when the last pull failed.</param>
/// <param name="FailingSince">When pulls started failing (the first failed pull after the last good one).</param>
/// <param name="LastUpdate">The id of the last update of this source.</param>
/// <param name="Targets">One entry per destination and target.</param>
public sealed record SourceStatus(
    string Source,
    string Type,
    string? Revision,
    DateTimeOffset? PulledAt,
    string? PullError,
    DateTimeOffset? FailingSince,
    string LastUpdate,
    IReadOnlyList<TargetStatus> Targets)
{
    /// <summary>
    /// The last validation of what was pulled (the source's <c>"validate"</c> checks); null when the last pulled
    /// revision was not checked. When it failed, nothing of <see cref="Revision"/> was delivered and every target
    /// kept what it had.
    /// </summary>
    public ValidationReport? Validation { get; init; }

    /// <summary>
    /// The source's hold (<c>POST /hold</c>), when it is held now: its updates pull and validate, and deliver nothing
    /// until <c>POST /release</c>; null when it is not held.
    /// </summary>
    public HoldReport? Held { get; init; }

    /// <summary>The last rollout of the source (its <c>"rollout"</c>): its waves, where it stopped and what was rolled back; null without one.</summary>
    public RolloutReport? Rollout { get; init; }

    /// <summary>Whether the last pull, its validation, its rollout and the last delivery to every target succeeded.</summary>
    public bool Ok => PullError is null && Validation?.Passed != false && Rollout?.Outcome != RolloutReport.Stopped && Targets.All(t => t.Ok);
}

/// <summary>The state of one target of a source's destination.</summary>
/// <param name="Destination">The destination alias.</param>
/// <param name="Target">The target (a hermes address and path); the alias itself for errors of the whole destination.</param>
/// <param name="Ok">Whether the last attempt succeeded.</param>
/// <param name="LastSuccess">The last successful delivery.</param>
/// <param name="LastFailure">The last failed delivery.</param>
public sealed record TargetStatus(string Destination, string Target, bool Ok, DeliveryEvent? LastSuccess, DeliveryEvent? LastFailure)
{
    /// <summary>
    /// The revision the target holds: as its release link named it at the last delivery (atomic publish), otherwise
    /// that of the last successful delivery; null when none is known.
    /// </summary>
    public string? Revision { get; init; }

    /// <summary>Since when the target holds <see cref="Revision"/>: its release link's switch, or the delivery's update.</summary>
    public DateTimeOffset? RevisionSince { get; init; }
}

/// <summary>One delivery attempt.</summary>
/// <param name="Update">The update's id (its report).</param>
/// <param name="At">When the update started.</param>
/// <param name="Revision">The revision delivered (or attempted).</param>
/// <param name="Error">Why it failed; null on success.</param>
public sealed record DeliveryEvent(string Update, DateTimeOffset At, string? Revision, string? Error)
{
    /// <summary>In a cluster, the member that delivered; null on a single node.</summary>
    public string? Member { get; init; }
}
