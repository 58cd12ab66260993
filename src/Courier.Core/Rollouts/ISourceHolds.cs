namespace Courier.Core.Rollouts;

/// <summary>
/// The held sources (<c>POST /hold</c>, or a stopped rollout): a held source is pulled and checked, and delivers
/// nothing until it is released. Kept in the state directory by default; shared by every member of a cluster when a
/// coordination engine provides them, so a hold placed on one member holds the source on all.
/// </summary>
public interface ISourceHolds
{
    /// <summary>Every hold, by source id.</summary>
    /// <exception cref="HoldStateException">The holds cannot be read.</exception>
    ValueTask<IReadOnlyList<SourceHold>> AllAsync(CancellationToken cancellationToken);

    /// <summary>The hold of <paramref name="sourceId"/>, or null when it is not held.</summary>
    /// <exception cref="HoldStateException">The holds cannot be read: the source must then be taken as held.</exception>
    ValueTask<SourceHold?> GetAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Holds <paramref name="sourceId"/> from now, or changes the reason of its hold (keeping since when it is held);
    /// the hold, and whether the source was held already.
    /// </summary>
    /// <exception cref="HoldStateException">The holds cannot be changed.</exception>
    ValueTask<HoldChange> HoldAsync(string sourceId, string? reason, CancellationToken cancellationToken);

    /// <summary>Releases <paramref name="sourceId"/>; its hold, or null when it was not held.</summary>
    /// <exception cref="HoldStateException">The holds cannot be changed.</exception>
    ValueTask<SourceHold?> ReleaseAsync(string sourceId, CancellationToken cancellationToken);
}

/// <summary>What <see cref="ISourceHolds.HoldAsync"/> did.</summary>
/// <param name="Hold">The hold, as kept now.</param>
/// <param name="WasHeld">Whether the source was held already (then only its reason changed).</param>
public sealed record HoldChange(SourceHold Hold, bool WasHeld);

/// <summary>The holds cannot be read or changed: no source is delivered until they can.</summary>
public sealed class HoldStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HoldStateException()
    {
    }

    /// <summary>Creates the exception with its reason.</summary>
    public HoldStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public HoldStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
