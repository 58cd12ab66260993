namespace Courier;

/// <summary>How a delivery runs: for real (the default), or as a dry run that only finds out what it would change.</summary>
/// <remarks>Grows without breaking plugins: new fields come as init-only properties with defaults.</remarks>
public sealed record DeliveryOptions
{
    /// <summary>A real delivery.</summary>
    public static DeliveryOptions Default { get; } = new();

    /// <summary>
    /// Whether nothing is changed on any target: the transfer runs with rsync's <c>--dry-run --itemize-changes</c> (its
    /// other flags as a real delivery's) and reports in <see cref="TransferResult.Changes"/> what a delivery would
    /// create, update and delete; no hermes path is made and no remote Courier is asked to forward.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// How the files land on each target: the destination entry's <c>"publish"</c>, <c>"keep_releases"</c> and
    /// <c>"verify"</c>, which the engine reads for every destination type. A destination passes it on to
    /// <see cref="IFileTransfer"/>; one built before atomic publish is refused an atomic delivery.
    /// </summary>
    public PublishOptions Publish { get; init; } = PublishOptions.InPlace;

    /// <summary>
    /// Whether a target that still keeps a release of the snapshot's revision is switched back to it by one rename,
    /// with no transfer (a rollback, with atomic publish); otherwise the snapshot is delivered as usual.
    /// </summary>
    public bool ReuseKeptRelease { get; init; }

    /// <summary>
    /// With <see cref="ReuseKeptRelease"/>: a target that keeps no release of the snapshot's revision is a failure,
    /// never a transfer (a rollback to the release a target had, whose files Courier does not have).
    /// </summary>
    public bool OnlyKeptRelease { get; init; }

    /// <summary>
    /// The fencing token of the cluster lock this delivery runs under; null on a single node (nothing else delivers
    /// the source). A target records the token of the delivery that last changed it, and refuses a lower one: the
    /// delivery then fails with <see cref="TransferResult.Fenced"/>, and the target keeps what it has.
    /// </summary>
    public long? FencingToken { get; init; }
}

/// <summary>
/// What a delivery changes, or would change, in a target directory: paths relative to it, with <c>/</c> between
/// directories, in rsync's order. Files and symbolic links only: a directory shows in the paths below it (an empty
/// directory made or removed is not listed).
/// </summary>
/// <param name="Created">Files the target does not have yet.</param>
/// <param name="Updated">Files the target has with other contents (or, when file times are compared, another time).</param>
/// <param name="Deleted">Files the target has that the snapshot does not (rsync's <c>--delete</c>).</param>
public sealed record FileChanges(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Deleted)
{
    /// <summary>No change.</summary>
    public static FileChanges None { get; } = new([], [], []);
}
