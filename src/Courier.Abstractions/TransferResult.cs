namespace Courier;

/// <summary>What one transfer did.</summary>
/// <param name="Target">The hermes address as people read it.</param>
/// <param name="Succeeded">Whether rsync finished with exit code 0.</param>
/// <param name="ExitCode">rsync's exit code (-1 when it never ran).</param>
/// <param name="Error">What went wrong, for people.</param>
/// <param name="BytesSent">Bytes rsync reported sending.</param>
/// <param name="Duration">How long it took.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record TransferResult(string Target, bool Succeeded, int ExitCode, string? Error, long BytesSent, TimeSpan Duration)
{
    /// <summary>The same outcome as a <see cref="DeliveryResult"/>.</summary>
    public DeliveryResult ToDeliveryResult() => new(Target, Succeeded, Error, BytesSent, Duration) { Attempts = Attempts, Changes = Changes, Revision = Revision, RevisionSince = RevisionSince, Unchanged = Unchanged, CurrentRevision = CurrentRevision, Fenced = Fenced };

    /// <summary>How many times the transfer was tried (retries of transient failures included).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>In a dry run that succeeded, what a push would change in the target directory; null otherwise.</summary>
    public FileChanges? Changes { get; init; }

    /// <summary>With atomic publish, the revision the target's release link named before the transfer; null when unknown.</summary>
    public string? CurrentRevision { get; init; }

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
