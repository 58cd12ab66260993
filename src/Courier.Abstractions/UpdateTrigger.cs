namespace Courier;

/// <summary>What asked for an update; sources decide whether it concerns them.</summary>
public abstract record UpdateTrigger
{
    private UpdateTrigger()
    {
    }

    /// <summary>Every source (<c>/update_all</c>, <c>/update_hermes</c>, start-up).</summary>
    public static UpdateTrigger All { get; } = new AllSources();

    /// <summary>A push to a git repository's branch (<c>/update_from_git</c>, GitLab web hook).</summary>
    public static UpdateTrigger GitPush(string url, string branch) => new GitPushed(url, branch);

    /// <summary>A change in the local hermes directory (<c>/update_from_hermes_directory</c>); no subdirectory means the whole directory.</summary>
    public static UpdateTrigger HermesDirectory(string? subdirectory) => new HermesDirectoryChanged(subdirectory);

    /// <summary>One source, by its <see cref="ISource.Id"/> (<c>/release</c>): the engine matches it, never asking the source.</summary>
    public static UpdateTrigger ForSource(string sourceId) => new SourceById(sourceId);

    /// <summary>Every source.</summary>
    public sealed record AllSources : UpdateTrigger;

    /// <summary>A push of <paramref name="Url"/> at <paramref name="Branch"/>.</summary>
    /// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
    public sealed record GitPushed(string Url, string Branch) : UpdateTrigger;

    /// <summary>A change below the hermes directory's <paramref name="Subdirectory"/> (null: the source without subdirectory).</summary>
    /// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
    public sealed record HermesDirectoryChanged(string? Subdirectory) : UpdateTrigger;

    /// <summary>
    /// The source whose <see cref="ISource.Id"/> is <paramref name="SourceId"/>. The engine matches it by id before it
    /// would ask the source, so <see cref="ISource.Matches"/> never sees it and needs no case for it.
    /// </summary>
    /// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
    public sealed record SourceById(string SourceId) : UpdateTrigger;
}
