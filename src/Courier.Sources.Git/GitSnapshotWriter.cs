using LibGit2Sharp;

namespace Courier.Sources.Git;

/// <summary>
/// Keeps one source's snapshot directory equal to a tree of the cache: the first time by writing the whole tree, then
/// by applying only the differences between the exported commit and the new one (creating thousands of files costs
/// far more than a fetch). The exported commit is recorded in a marker written last, so an export cut short is
/// redone in full next time. The caller serialises the updates of one snapshot and delivers it before the next one.
/// Every file a write creates gets the write's time stamp (<see cref="FileStamps"/>), later in whole seconds than any
/// earlier write's, so a size-and-time comparison always sees a changed file, even one rewritten within a second.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class GitSnapshotWriter(string snapshotRoot)
{
    private readonly string _directory = Path.Combine(snapshotRoot, "current");
    private readonly string _marker = Path.Combine(snapshotRoot, "current.commit");
    private readonly FileStamps _stamps = new(Path.Combine(snapshotRoot, "current.stamp"));

    /// <summary>The snapshot directory.</summary>
    public string Directory => _directory;

    /// <summary>The commit the snapshot holds, or <see langword="null"/> when it holds nothing complete.</summary>
    public string? ExportedCommit => File.Exists(_marker) && System.IO.Directory.Exists(_directory) ? File.ReadAllText(_marker).Trim() : null;

    /// <summary>Makes the snapshot hold <paramref name="tree"/> of <paramref name="commit"/>; <paramref name="exportedTree"/> is what it holds now, if known.</summary>
    /// <returns>How many files were written or removed.</returns>
    public int Write(Repository repository, string commit, Tree tree, Tree? exportedTree, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(snapshotRoot);
        File.Delete(_marker);
        var stamp = _stamps.Next();
        int written;
        if (exportedTree is null)
        {
            // What is there holds no complete export: make room before writing the new one (a nearly full disk).
            RemoveQuietly(_directory);
            var temporary = $"{_directory}.{Guid.NewGuid():N}";
            try
            {
                written = WriteTree(tree, temporary, stamp, cancellationToken);
                if (System.IO.Directory.Exists(_directory))
                {
                    System.IO.Directory.Delete(_directory, recursive: true);
                }

                System.IO.Directory.Move(temporary, _directory);
            }
            finally
            {
                if (System.IO.Directory.Exists(temporary))
                {
                    System.IO.Directory.Delete(temporary, recursive: true);
                }
            }
        }
        else
        {
            try
            {
                written = ApplyChanges(repository, repository.Diff.Compare<TreeChanges>(exportedTree, tree), stamp, cancellationToken);
            }
            catch
            {
                // Half applied (a full disk, say): remove it, freeing its space; the next update exports in full.
                RemoveQuietly(_directory);
                throw;
            }
        }

        File.WriteAllText(_marker, commit);
        return written;
    }

    private static void RemoveQuietly(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without its marker the directory is never used as it is; the next export replaces it.
        }
    }

    /// <summary>Whether the tree holds at least one file or link (submodules alone deliver nothing).</summary>
    public static bool HasFiles(Tree tree) =>
        tree.Any(entry => IsSafeName(entry.Name) && entry.Mode switch
        {
            Mode.Directory => HasFiles((Tree)entry.Target),
            Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile or Mode.SymbolicLink => true,
            _ => false,
        });

    private int ApplyChanges(Repository repository, TreeChanges changes, DateTime stamp, CancellationToken cancellationToken)
    {
        var count = 0;

        // Removals first: a file may give way to a directory of the same name, or the other way round.
        foreach (var change in changes.Where(c => c.Status is ChangeKind.Deleted or ChangeKind.Modified or ChangeKind.TypeChanged or ChangeKind.Renamed))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SafePath(change.OldPath) is { } path)
            {
                Remove(path);
                count++;
            }
        }

        foreach (var change in changes.Where(c => c.Status is ChangeKind.Added or ChangeKind.Modified or ChangeKind.TypeChanged or ChangeKind.Renamed or ChangeKind.Copied))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SafePath(change.Path) is { } path && repository.Lookup<Blob>(change.Oid) is { } blob)
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                count += WriteEntry(blob, change.Mode, path, stamp);
            }
        }

        return count;
    }

    /// <summary>Writes the files, executables and symbolic links of <paramref name="tree"/>; submodules are skipped.</summary>
    private static int WriteTree(Tree tree, string directory, DateTime stamp, CancellationToken cancellationToken)
    {
        using var writers = new SnapshotFileWriters(stamp, cancellationToken);
        var files = WriteTree(tree, directory, stamp, writers, cancellationToken);
        writers.Complete();
        return files;
    }

    private static int WriteTree(Tree tree, string directory, DateTime stamp, SnapshotFileWriters writers, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var files = 0;
        foreach (var entry in tree.Where(entry => IsSafeName(entry.Name)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(directory, entry.Name);
            files += entry.Mode == Mode.Directory ? WriteTree((Tree)entry.Target, path, stamp, writers, cancellationToken) : WriteEntry(entry.Target as Blob, entry.Mode, path, stamp, writers);
        }

        return files;
    }

    private static int WriteEntry(Blob? blob, Mode mode, string path, DateTime stamp, SnapshotFileWriters? writers = null)
    {
        switch (mode)
        {
            case Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile when blob is not null && writers is not null && blob.Size <= SnapshotFileWriters.QueuedFileLimit:
                writers.Add(path, ContentOf(blob), UnixMode(mode));
                return 1;
            case Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile when blob is not null:
                using (var content = blob.GetContentStream())
                {
                    SnapshotFileWriters.Write(path, content, UnixMode(mode), stamp);
                }

                return 1;
            case Mode.SymbolicLink when blob is not null:
                File.CreateSymbolicLink(path, blob.GetContentText());
                return 1;
            default:
                return 0;
        }
    }

    private static byte[] ContentOf(Blob blob)
    {
        var content = new byte[blob.Size];
        using var stream = blob.GetContentStream();
        stream.ReadExactly(content);
        return content;
    }

    /// <summary>Removes a file or link and the directories it leaves empty.</summary>
    private void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists || info.LinkTarget is not null)
        {
            info.Delete();
        }

        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > _directory.Length && System.IO.Directory.Exists(parent) && !System.IO.Directory.EnumerateFileSystemEntries(parent).Any(); parent = Path.GetDirectoryName(parent))
        {
            System.IO.Directory.Delete(parent);
        }
    }

    /// <summary>The full path of a tree path inside the snapshot, or <see langword="null"/> for a name git itself refuses.</summary>
    private string? SafePath(string treePath) =>
        treePath.Split('/').All(IsSafeName) ? Path.Combine(_directory, treePath) : null;

    private static bool IsSafeName(string name) =>
        name.Length > 0 && name is not ("." or ".." or ".git") && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\0', StringComparison.Ordinal);

    private static UnixFileMode UnixMode(Mode mode)
    {
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        return mode == Mode.ExecutableFile ? readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : readable;
    }
}
