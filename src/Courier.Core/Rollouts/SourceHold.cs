namespace Courier.Core.Rollouts;

/// <summary>A hold of one source (<c>POST /hold</c>), as <c>StateDirectory/holds.json</c> keeps it.</summary>
/// <param name="Source">The held source's id.</param>
/// <param name="Reason">Why it is held, as the operator said; null when no reason was given.</param>
/// <param name="Since">When the hold was placed (holding it again changes the reason, not this).</param>
public sealed record SourceHold(string Source, string? Reason, DateTimeOffset Since)
{
    /// <summary>The hold as a source's report gives it.</summary>
    public HoldReport ToReport() => new(Reason, Since);
}
