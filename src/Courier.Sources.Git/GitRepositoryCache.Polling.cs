namespace Courier.Sources.Git;

/// <summary>The cheap remote check of polling: a fetch of the branch into the cache, which brings nothing when the head has not moved.</summary>
internal sealed partial class GitRepositoryCache
{
    /// <summary>
    /// Fetches <paramref name="branch"/> of <paramref name="url"/> into the cache (no export) and returns its head
    /// commit. When the head is the one the cache has, the fetch transfers no objects; when it moved, the objects
    /// fetched here are not downloaded again by the update that follows.
    /// </summary>
    public Task<string> FetchHeadAsync(GitRepositoryUrl url, string branch, string? keyPath, CancellationToken cancellationToken) =>
        RunFetchingAsync(url, keyPath, (repository, route) => Fetch(repository, url, branch, route, cancellationToken), cancellationToken);
}
