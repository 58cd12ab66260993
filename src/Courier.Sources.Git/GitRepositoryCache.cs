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
/// tree into a snapshot directory. SSH addresses go through OpenSSH, run by libgit2 through a wrapper executable
/// set as <c>core.sshCommand</c> of the cache, with Courier's ssh options (key, BatchMode, host key policy).
/// Operations on one cache are serialised; different repositories run in parallel.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed partial class GitRepositoryCache(ICourierEnvironment environment, ISshCommandBuilder ssh, ILogger<GitRepositoryCache> logger)
{
    private const string SshWrapperName = "courier-ssh";
    private const string SshErrorsName = "courier-ssh.err";
    // Static: every cache instance of the process (an embedding app may build several) shares the locks of a path.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private string Root => Path.Combine(Path.GetFullPath(environment.StateDirectory), "git");

    /// <summary>
    /// Fetches <paramref name="branch"/> of <paramref name="url"/> and exports its tree (or <paramref name="subdirectory"/>
    /// of it) into a snapshot directory of <paramref name="snapshotOwner"/>, reusing the last export when the commit is
    /// the same. Returns the directory and the commit. Throws with a message for people on any failure.
    /// </summary>
    public async Task<(string Directory, string Commit)> PullAsync(
        GitRepositoryUrl url, string branch, string? keyPath, string? subdirectory, string snapshotOwner, CancellationToken cancellationToken)
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
                    var commit = Fetch(repository, cachePath, url, branch, keyPath, cancellationToken);
                    return (Export(repository, commit, subdirectory, url, branch, snapshotOwner, cancellationToken), commit);
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

        return new Repository(cachePath);
    }

    /// <summary>Fetches the branch into the cache; returns its commit.</summary>
    private string Fetch(Repository repository, string cachePath, GitRepositoryUrl url, string branch, string? keyPath, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var sshErrors = Path.Combine(cachePath, SshErrorsName);
        if (url.Transport == GitTransport.Ssh)
        {
            var wrapper = WriteSshWrapper(cachePath, keyPath, sshErrors, dropDefaultPort: url.Port is null);
            if (!string.Equals(repository.Config.Get<string>("core.sshCommand")?.Value, wrapper, StringComparison.Ordinal))
            {
                repository.Config.Set("core.sshCommand", wrapper);
            }
        }

        var fetchHead = Path.Combine(repository.Info.Path, "FETCH_HEAD");
        File.Delete(fetchHead);
        File.Delete(sshErrors);
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
        try
        {
            Commands.Fetch(repository, Remote(repository, url).Name, [$"+refs/heads/{branch}:{trackingRef}"], options, logMessage: null);
        }
        catch (LibGit2SharpException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"git fetch of {url} (branch {branch}) failed: {Reason(e, sshErrors)}", e);
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

    /// <summary>
    /// libgit2 runs <c>core.sshCommand</c> as one executable without splitting it, so Courier's ssh options live in
    /// a small script that hands every argument on unchanged. Its standard error goes to a file read on failure.
    /// </summary>
    private string WriteSshWrapper(string cachePath, string? keyPath, string errorsPath, bool dropDefaultPort)
    {
        IEnumerable<string> command = [ssh.SshExecutable, .. ssh.CommonArguments(keyPath)];
        // libgit2 passes "-p 22" even when the address names no port; dropping it lets ssh_config's Port apply, as with git.
        var dropPort = dropDefaultPort ? "if [ \"$1\" = -p ] && [ \"$2\" = 22 ]; then shift 2; fi\n" : string.Empty;
        var script = $"#!/bin/sh\n{dropPort}exec {string.Join(' ', command.Select(ShellQuote))} \"$@\" 2>{ShellQuote(errorsPath)}\n";
        var path = Path.Combine(cachePath, SshWrapperName);
        if (!File.Exists(path) || !string.Equals(File.ReadAllText(path), script, StringComparison.Ordinal))
        {
            var temporary = path + ".tmp";
            var executable = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute };
            using (var writer = new StreamWriter(temporary, executable))
            {
                writer.Write(script);
            }

            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }

    /// <summary>POSIX shell single quoting: everything between the quotes is taken literally.</summary>
    private static string ShellQuote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Reason(LibGit2SharpException e, string sshErrorsPath)
    {
        var sshSaid = File.Exists(sshErrorsPath)
            ? string.Join(" | ", File.ReadAllLines(sshErrorsPath).Select(line => line.Trim()).Where(line => line.Length > 0).TakeLast(5))
            : string.Empty;
        return sshSaid.Length > 0 ? $"{sshSaid} ({e.Message.Trim()})" : e.Message.Trim();
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
