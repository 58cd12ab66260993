namespace Courier.Sources.Git;

/// <summary>The cheap remote check of polling: a fetch of the branch into the cache, which brings nothing when the head has not moved.</summary>
internal sealed partial class GitRepositoryCache
{
    /// <summary>
    /// Fetches <paramref name="branch"/> of <paramref name="url"/> into the cache (no export) and returns its head
    /// commit. When the head is the one the cache has, the fetch transfers no objects; when it moved, the objects
    /// fetched here are not downloaded again by the update that follows.
    /// </summary>
    public async Task<string> FetchHeadAsync(GitRepositoryUrl url, string branch, string? keyPath, CancellationToken cancellationToken)
    {
        var cachePath = Path.Combine(Root, "repositories", DirectoryName(url.Original, url.Name));
        var cacheLock = Locks.GetOrAdd(cachePath, _ => new SemaphoreSlim(1, 1));
        await cacheLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(
                () =>
                {
                    using var repository = OpenOrCreate(cachePath);
                    return Fetch(repository, url, branch, keyPath, cancellationToken);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            cacheLock.Release();
        }
    }
}
