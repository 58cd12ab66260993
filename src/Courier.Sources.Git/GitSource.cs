namespace Courier.Sources.Git;

/// <summary>One repository of a <c>"git"</c> entry: its branch, delivered whole or one subdirectory of it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class GitSource(
    GitRepositoryUrl url,
    string branch,
    string? keyPath,
    string? subdirectory,
    string destinationPath,
    IReadOnlyList<string> destinations,
    GitRepositoryCache cache) : IPolledSource
{
    public string Id { get; } = $"git:{url}#{branch}" + (subdirectory is null ? string.Empty : $":{subdirectory}") + $"->{destinationPath}";

    public string Type => GitSourceFactory.TypeName;

    public IReadOnlyList<string> Destinations { get; } = destinations;

    /// <summary>The entry's <c>poll_interval</c>; null: the host's <c>Courier:Git:PollInterval</c>.</summary>
    public TimeSpan? PollInterval { get; init; }

    public UpdateTrigger PollTrigger => UpdateTrigger.GitPush(url.Original, branch);

    public async Task<string?> GetRemoteRevisionAsync(CancellationToken cancellationToken) =>
        await cache.FetchHeadAsync(url, branch, keyPath, cancellationToken).ConfigureAwait(false);

    public bool Matches(UpdateTrigger trigger) => trigger switch
    {
        UpdateTrigger.AllSources => true,
        UpdateTrigger.GitPushed push => string.Equals(push.Branch, branch, StringComparison.Ordinal) && IsThisRepository(push.Url),
        _ => false,
    };

    public async Task<Snapshot> PullAsync(CancellationToken cancellationToken)
    {
        var (directory, commit) = await cache.PullAsync(url, branch, keyPath, subdirectory, Id, cancellationToken).ConfigureAwait(false);
        return new Snapshot(Id, directory, destinationPath, commit) { FileTimesTrackChanges = true };
    }

    private bool IsThisRepository(string pushedUrl)
    {
        try
        {
            return url.SameRepository(GitRepositoryUrl.Parse(pushedUrl));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
