namespace Courier;

/// <summary>How a delivery lands on a target: files switched one by one, or a whole release switched by one rename.</summary>
public enum PublishMode
{
    /// <summary>rsync updates the live directory in place (the original Courier's behaviour, and the default).</summary>
    InPlace,

    /// <summary>
    /// Each delivery is a new release directory, <c>PATH/.courier/releases/NAME/&lt;revision&gt;-&lt;n&gt;</c>, built
    /// with unchanged files hard-linked to the current release; <c>PATH/NAME</c> is a relative symbolic link to it,
    /// replaced in one <c>rename(2)</c>, so a reader sees the whole old tree or the whole new one.
    /// </summary>
    Atomic,
}

/// <summary>How Courier decides whether a target needs a transfer at all.</summary>
public enum VerifyMode
{
    /// <summary>Always run rsync's full comparison, which also repairs files edited on the target.</summary>
    Content,

    /// <summary>Read the revision the target's release link names; a target that already holds the snapshot's is not transferred to.</summary>
    Revision,
}

/// <summary>A destination entry's <c>"publish"</c>, <c>"keep_releases"</c> and <c>"verify"</c>.</summary>
/// <remarks>Grows without breaking plugins: new fields come as init-only properties with defaults.</remarks>
public sealed record PublishOptions
{
    /// <summary>The default: in place, with the full comparison.</summary>
    public static PublishOptions InPlace { get; } = new();

    /// <summary>Atomic releases, three kept, compared by revision: what <c>"publish": "atomic"</c> alone means.</summary>
    public static PublishOptions Atomic { get; } = new() { Mode = PublishMode.Atomic, Verify = VerifyMode.Revision };

    /// <summary>In place or atomic.</summary>
    public PublishMode Mode { get; init; }

    /// <summary>With atomic publish, how many releases stay on the target after a switch, the live one included (at least 1).</summary>
    public int KeepReleases { get; init; } = 3;

    /// <summary>Whether a target holding the snapshot's revision is skipped (only with atomic publish, where the release link names it).</summary>
    public VerifyMode Verify { get; init; }
}
