using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Courier.Sources.Git;

/// <summary>
/// One persistent bare repository per repository address under <c>StateDirectory/git/repositories</c>. An update
/// fetches only its branch into it (what the cache already has is not downloaded again) and exports the commit's
/// tree into a snapshot directory. SSH addresses go through OpenSSH, run by Courier itself (<see cref="GitSshSubtransport"/>)
/// with Courier's ssh options (key, BatchMode, host key policy) and the git deadlines.
/// Operations on one cache are serialised; different repositories run in parallel.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed partial class GitRepositoryCache(ICourierEnvironment environment, ISshCommandBuilder ssh, ILogger<GitRepositoryCache> logger)
{
    // Static: every cache instance of the process (an embedding app may build several) shares the locks of a path.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private string Root => Path.Combine(Path.GetFullPath(environment.StateDirectory), "git");

    /// <summary>
    /// Fetches <paramref name="branch"/> of <paramref name="url"/> and exports its tree (or <paramref name="subdirectory"/>
    /// of it) into a snapshot directory of <paramref name="snapshotOwner"/>, reusing the last export when the commit is
    /// the same. Returns the directory and the commit. Throws with a message for people on any failure.
    /// </summary>
    public Task<(string Directory, string Commit)> PullAsync(
        GitRepositoryUrl url, string branch, string? keyPath, string? subdirectory, string snapshotOwner, CancellationToken cancellationToken) =>
        RunFetchingAsync(url, keyPath, (repository, route) =>
        {
            var commit = Fetch(repository, url, branch, route, cancellationToken);
            return (Export(repository, commit, subdirectory, url, branch, snapshotOwner, cancellationToken), commit);
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> (which fetches with the given ssh command) on the cache of <paramref name="url"/>,
    /// its ssh going over the connection Courier keeps open to the git server.
    /// </summary>
    private async Task<T> RunFetchingAsync<T>(GitRepositoryUrl url, string? keyPath, Func<Repository, GitSshRoute, T> work, CancellationToken cancellationToken)
    {
        var sshCommand = SshCommand(keyPath);
        using var shared = await ShareConnectionAsync(url, sshCommand, cancellationToken).ConfigureAwait(false);
        if (shared.LoginFailure is { } loginFailure)
        {
            throw new InvalidOperationException($"git fetch of {url} failed: {loginFailure}");
        }

        var route = new GitSshRoute([.. sshCommand, .. shared.Arguments], shared);
        return await RunLockedAsync(url, repository => work(repository, route), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>ssh and the options of this Courier for <paramref name="keyPath"/>; empty for the other transports.</summary>
    private IReadOnlyList<string> SshCommand(string? keyPath) => [ssh.SshExecutable, .. ssh.CommonArguments(keyPath)];

    /// <summary>A fetch over SSH goes over the connection Courier keeps open to the git server, as transfers do to their targets.</summary>
    private Task<SshConnectionUse> ShareConnectionAsync(GitRepositoryUrl url, IReadOnlyList<string> sshCommand, CancellationToken cancellationToken)
    {
        if (url.Transport != GitTransport.Ssh)
        {
            return Task.FromResult(SshConnectionUse.Direct);
        }

        string[] port = url.Port is { } p ? ["-p", p.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        return ssh.ShareConnectionAsync([.. sshCommand.Skip(1), .. port], url.User.Length > 0 ? $"{url.User}@{url.Host}" : url.Host, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on the cache of <paramref name="url"/>, one operation per cache at a time, off the caller's thread.</summary>
    private async Task<T> RunLockedAsync<T>(GitRepositoryUrl url, Func<Repository, T> work, CancellationToken cancellationToken)
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
                    return work(repository);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            cacheLock.Release();
        }
    }

    private static Repository OpenOrCreate(string cachePath)
    {
        if (!Repository.IsValid(cachePath))
        {
            Directory.CreateDirectory(cachePath);
            Repository.Init(cachePath, isBare: true);
        }

        var repository = new Repository(cachePath);
        if (repository.Config.Get<string>("core.sshCommand") is not null)
        {
            // Left by versions that ran ssh through a wrapper script; ssh is Courier's own process now.
            repository.Config.Unset("core.sshCommand");
        }

        return repository;
    }

    /// <summary>Fetches the branch into the cache; returns its commit.</summary>
    private string Fetch(Repository repository, GitRepositoryUrl url, string branch, GitSshRoute route, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var fetchHead = Path.Combine(repository.Info.Path, "FETCH_HEAD");
        File.Delete(fetchHead);
        var trackingRef = $"refs/courier/{branch}";
        var received = (Objects: 0, Bytes: 0L);
        var options = new FetchOptions
        {
            TagFetchMode = TagFetchMode.None,
            Prune = false,
            OnTransferProgress = progress =>
            {
                received = (progress.ReceivedObjects, progress.ReceivedBytes);
                return !cancellationToken.IsCancellationRequested;
            },
            OnProgress = _ => !cancellationToken.IsCancellationRequested,
        };

        // ssh runs as Courier's own process (see GitSshSubtransport); disposing the fetch ends and reaps it.
        using var sshFetch = url.Transport == GitTransport.Ssh
            ? new GitSshFetch(url, route, environment.Timeouts, cancellationToken)
            : null;
        using var routing = sshFetch is null ? null : GitSshSubtransport.Use(sshFetch);
        try
        {
            Commands.Fetch(repository, Remote(repository, url).Name, [$"+refs/heads/{branch}:{trackingRef}"], options, logMessage: null);
        }
        catch (LibGit2SharpException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sshSaid = sshFetch?.Failure;
            var reason = sshSaid is null ? e.Message.Trim() : $"{sshSaid} ({e.Message.Trim()})";
            throw new InvalidOperationException($"git fetch of {url} (branch {branch}) failed: {reason}", e);
        }

        // The fetch writes FETCH_HEAD with the branch's commit; a branch the server does not have leaves it empty.
        var commit = File.Exists(fetchHead) ? FetchHeadCommit().Match(File.ReadAllText(fetchHead)) : Match.Empty;
        if (!commit.Success)
        {
            throw new InvalidOperationException($"branch \"{branch}\" does not exist in {url}.");
        }

        LogFetched(url.Original, branch, commit.Value, received.Objects, received.Bytes, (long)stopwatch.Elapsed.TotalMilliseconds);
        return commit.Value;
    }

    /// <summary>Brings the source's snapshot to <paramref name="commitSha"/>: nothing to do when it holds it already.</summary>
    private string Export(Repository repository, string commitSha, string? subdirectory, GitRepositoryUrl url, string branch, string snapshotOwner, CancellationToken cancellationToken)
    {
        var snapshot = new GitSnapshotWriter(Path.Combine(Root, "snapshots", DirectoryName(snapshotOwner, url.Name)));
        var exported = snapshot.ExportedCommit;
        if (string.Equals(exported, commitSha, StringComparison.Ordinal))
        {
            return snapshot.Directory;
        }

        var tree = TreeOf(repository, commitSha, subdirectory)
            ?? throw new InvalidOperationException(subdirectory is null
                ? $"commit {commitSha} of {url} is missing from the cache {repository.Info.Path}."
                : $"subdirectory \"{subdirectory}\" does not exist in {url} branch {branch} at {commitSha[..12]}; nothing was pushed.");
        if (!GitSnapshotWriter.HasFiles(tree))
        {
            throw new InvalidOperationException($"{(subdirectory is null ? "the tree" : $"subdirectory \"{subdirectory}\"")} of {url} branch {branch} at {commitSha[..12]} holds no files; refusing to push (rsync --delete would wipe the destination).");
        }

        var stopwatch = Stopwatch.StartNew();
        var exportedTree = exported is null ? null : TreeOf(repository, exported, subdirectory);
        var files = snapshot.Write(repository, commitSha, tree, exportedTree, cancellationToken);
        LogExported(url.Original, commitSha, exportedTree is null ? "whole tree" : $"changes since {exported![..12]}", files, (long)stopwatch.Elapsed.TotalMilliseconds);
        return snapshot.Directory;
    }

    /// <summary>The tree of a commit of the cache, or of one of its subdirectories; <see langword="null"/> when either is missing.</summary>
    private static Tree? TreeOf(Repository repository, string commitSha, string? subdirectory)
    {
        var commit = repository.Lookup<Commit>(commitSha);
        if (commit is null || subdirectory is null)
        {
            return commit?.Tree;
        }

        return commit[subdirectory] is { TargetType: TreeEntryTargetType.Tree } entry ? (Tree)entry.Target : null;
    }

    /// <summary>The cache's one remote, pointed at the configured address (which may change between updates).</summary>
    private static Remote Remote(Repository repository, GitRepositoryUrl url)
    {
        const string name = "origin";
        var remote = repository.Network.Remotes[name];
        if (remote is null)
        {
            return repository.Network.Remotes.Add(name, url.Original);
        }

        if (!string.Equals(remote.Url, url.Original, StringComparison.Ordinal))
        {
            repository.Network.Remotes.Update(name, updater => updater.Url = url.Original);
        }

        return remote;
    }

    /// <summary>A readable, collision-free directory name: the repository's name and a hash of the full key.</summary>
    private static string DirectoryName(string key, string name)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        var safeName = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]).TrimStart('.');
        return safeName.Length == 0 ? hash : $"{safeName}-{hash}";
    }

    [GeneratedRegex("^[0-9a-f]{40,64}(?=\t)", RegexOptions.Multiline)]
    private static partial Regex FetchHeadCommit();

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Url} branch {Branch} at {Commit}: {ReceivedObjects} objects, {ReceivedBytes} bytes received in {ElapsedMs} ms")]
    private partial void LogFetched(string url, string branch, string commit, int receivedObjects, long receivedBytes, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Url} at {Commit} ({How}): {FileCount} files written or removed in {ElapsedMs} ms")]
    private partial void LogExported(string url, string commit, string how, int fileCount, long elapsedMs);
}
