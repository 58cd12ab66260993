namespace Courier;

/// <summary>
/// What a source pulled and a destination delivers: a local directory and where it lands in a hermes
/// directory.
/// </summary>
/// <param name="SourceId">The identity of the source that produced it (for reports and logs).</param>
/// <param name="LocalDirectory">The local directory whose contents are delivered.</param>
/// <param name="DestinationPath">
/// The directory name the contents land in below a hermes path (<c>PATH/DestinationPath</c>), or
/// <see langword="null"/> when the contents are delivered straight into the hermes path (the whole hermes
/// directory case).
/// </param>
/// <param name="Revision">A commit SHA, or a content hash, identifying what was pulled.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record Snapshot(string SourceId, string LocalDirectory, string? DestinationPath, string Revision)
{
    /// <summary>Whether the directory's contents go straight into the hermes path.</summary>
    public bool DeliversContents => DestinationPath is null;

    /// <summary>
    /// Whether the directory's file times track its changes: an unchanged file keeps its modification time from
    /// one pull to the next, and a changed one gets a later time, in whole seconds, than any earlier version had.
    /// Transfers then compare size and time instead of reading every file (rsync's quick check). When
    /// <see langword="false"/> (the default), they compare checksums, as the original Courier did.
    /// </summary>
    public bool FileTimesTrackChanges { get; init; }
}
