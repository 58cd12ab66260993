namespace Courier;

/// <summary>The outcome of delivering one snapshot to one target.</summary>
/// <param name="Target">The target reached or missed: a hermes address, a remote Courier, an agent.</param>
/// <param name="Succeeded">Whether the files arrived (and, for chained Couriers, the remote accepted the update).</param>
/// <param name="Error">What went wrong, for people; <see langword="null"/> on success.</param>
/// <param name="BytesSent">Bytes the transfer sent, when known.</param>
/// <param name="Duration">How long the delivery to this target took.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record DeliveryResult(string Target, bool Succeeded, string? Error, long BytesSent, TimeSpan Duration)
{
    /// <summary>How many times delivery to this target was tried (retries of transient failures included).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>In a dry run that succeeded, what a delivery would change at this target; null otherwise.</summary>
    public FileChanges? Changes { get; init; }

    /// <summary>
    /// The revision this target had before the delivery (in a dry run: has): read from its release link with atomic
    /// publish, otherwise (dry runs) that of the last successful delivery of the source to it in the report history;
    /// null when none is known.
    /// </summary>
    public string? CurrentRevision { get; init; }

    /// <summary>What people should know about this result besides its outcome (e.g. how far a dry run looked); null when nothing.</summary>
    public string? Note { get; init; }

    /// <summary>In a cluster of Couriers, the member that delivered to this target; null on a single node.</summary>
    public string? Member { get; init; }

    /// <summary>A success.</summary>
    public static DeliveryResult Success(string target, long bytesSent, TimeSpan duration) => new(target, true, null, bytesSent, duration);

    /// <summary>A failure with its reason.</summary>
    public static DeliveryResult Failure(string target, string error, TimeSpan duration) => new(target, false, error, 0, duration);

    /// <summary>
    /// With atomic publish, the revision the target holds after this delivery, as its release link names it (what it
    /// held before, when the delivery failed); null when not known (in place, or the target could not be read).
    /// </summary>
    public string? Revision { get; init; }

    /// <summary>When the target's release link was last switched (its modification time); null when <see cref="Revision"/> is.</summary>
    public DateTimeOffset? RevisionSince { get; init; }

    /// <summary>Whether the target already held the snapshot's revision, so nothing was transferred (<c>"verify": "revision"</c>).</summary>
    public bool Unchanged { get; init; }

    /// <summary>
    /// Whether the target refused the delivery because a newer run of the source (a higher
    /// <see cref="DeliveryOptions.FencingToken"/>) already changed it: this run is stale, and the target kept the newer files.
    /// </summary>
    public bool Fenced { get; init; }
}
