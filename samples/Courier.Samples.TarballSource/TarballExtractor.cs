using System.Formats.Tar;
using System.IO.Compression;

namespace Courier.Samples.TarballSource;

/// <summary>
/// Extracts a <c>.tar.gz</c> archive, refusing anything that could reach outside the target directory: absolute
/// names, <c>..</c>, entries written through a symbolic link, links whose target lies outside, devices. An archive
/// without a single file is refused too: delivering an empty directory would delete everything at the destinations.
/// </summary>
internal static class TarballExtractor
{
    private const UnixFileMode PermissionBits =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const int MaxLinkHops = 40;

    /// <summary>Extracts <paramref name="archive"/> into <paramref name="directory"/> (created); returns the number of files.</summary>
    /// <exception cref="InvalidDataException">The archive is not a readable .tar.gz.</exception>
    /// <exception cref="UnsafeArchiveException">The archive holds an unsafe entry, or no file.</exception>
    public static int Extract(string archive, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var root = Path.GetFullPath(directory).TrimEnd('/');
        var files = 0;
        using (var input = File.OpenRead(archive))
        using (var gzip = new GZipStream(input, CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            try
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    files += ExtractEntry(entry, root);
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new InvalidDataException($"the archive is not a readable .tar.gz: {e.Message}", e);
            }
        }

        if (files == 0)
        {
            throw new UnsafeArchiveException("the archive holds no file; refusing it (delivering an empty directory would delete everything at the destinations).");
        }

        CheckLinks(root, Resolve(root));
        return files;
    }

    private static int ExtractEntry(TarEntry entry, string root)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return 0;
        }

        var relative = RelativePath(entry.Name, entry.Name);
        if (relative is null)
        {
            return entry.EntryType == TarEntryType.Directory
                ? 0
                : throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" has no name of its own.");
        }

        var path = Path.Combine(root, relative);
        CheckNoLinkOnTheWay(root, relative, entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
                {
                    throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a directory where the archive already put a file or link.");
                }

                Directory.CreateDirectory(path);
                return 0;

            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                PrepareFor(path, entry.Name);
                using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    entry.DataStream?.CopyTo(output);
                }

                if (!OperatingSystem.IsWindows())
                {
                    // The archive's permission bits (an executable script stays executable), never set-uid or sticky.
                    File.SetUnixFileMode(path, (entry.Mode & PermissionBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                return 1;

            case TarEntryType.SymbolicLink:
                var target = entry.LinkName;
                if (string.IsNullOrEmpty(target) || target.StartsWith('/'))
                {
                    throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a symbolic link to \"{target}\": only relative links inside the archive are allowed.");
                }

                if (!IsInside(root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target))))
                {
                    throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a symbolic link to \"{target}\", outside the archive.");
                }

                PrepareFor(path, entry.Name);
                File.CreateSymbolicLink(path, target);
                return 0;

            case TarEntryType.HardLink:
                // Tar hard links name another entry of the archive; the copy is made from what was extracted.
                var linked = RelativePath(entry.LinkName, entry.Name)
                    ?? throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a hard link to nothing.");
                CheckNoLinkOnTheWay(root, linked, entry.Name);
                var source = Path.Combine(root, linked);
                if (!File.Exists(source) || new FileInfo(source).LinkTarget is not null)
                {
                    throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a hard link to \"{entry.LinkName}\", which is not a file extracted before it.");
                }

                PrepareFor(path, entry.Name);
                File.Copy(source, path);
                return 1;

            default:
                throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a {entry.EntryType} entry: only files, directories and links are allowed.");
        }
    }

    /// <summary>The entry's path relative to the archive root (null for the root itself), refusing absolute paths and "..".</summary>
    private static string? RelativePath(string name, string entryName)
    {
        if (name.StartsWith('/'))
        {
            throw new UnsafeArchiveException($"archive entry \"{entryName}\" has an absolute path (\"{name}\"): only paths inside the archive are allowed.");
        }

        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            throw new UnsafeArchiveException($"archive entry \"{entryName}\" climbs out of the archive with \"..\" (\"{name}\").");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException($"archive entry \"{entryName}\" has a NUL character in its name.");
        }

        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    /// <summary>Refuses to write through a symbolic link the archive made earlier: it could lead anywhere.</summary>
    private static void CheckNoLinkOnTheWay(string root, string relative, string entryName)
    {
        var segments = relative.Split('/');
        var path = root;
        foreach (var segment in segments[..^1])
        {
            path = Path.Combine(path, segment);
            if (new FileInfo(path).LinkTarget is not null)
            {
                throw new UnsafeArchiveException($"archive entry \"{entryName}\" would be written through the symbolic link \"{Path.GetRelativePath(root, path)}\".");
            }

            if (File.Exists(path))
            {
                throw new UnsafeArchiveException($"archive entry \"{entryName}\" would be written below the file \"{Path.GetRelativePath(root, path)}\".");
            }
        }
    }

    /// <summary>Makes the parent directory; a later entry of the same name replaces a file or link, never a directory.</summary>
    private static void PrepareFor(string path, string entryName)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var existing = new FileInfo(path);
        if (existing.LinkTarget is not null || existing.Exists)
        {
            existing.Delete();
        }
        else if (Directory.Exists(path))
        {
            throw new UnsafeArchiveException($"archive entry \"{entryName}\" is a file or link where the archive already put a directory.");
        }
    }

    /// <summary>Every link of the extracted tree, followed as the system would, must end inside it.</summary>
    private static void CheckLinks(string directory, string physicalRoot)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is { } target)
            {
                string resolved;
                try
                {
                    resolved = Resolve(entry.FullName);
                }
                catch (IOException e)
                {
                    throw new UnsafeArchiveException($"the symbolic link \"{Path.GetRelativePath(directory, entry.FullName)}\" of the archive cannot be followed: {e.Message}", e);
                }

                if (!IsInside(physicalRoot, resolved))
                {
                    throw new UnsafeArchiveException($"the symbolic link \"{entry.Name}\" (to \"{target}\") of the archive leads outside it, through other links.");
                }
            }
            else if (entry is DirectoryInfo)
            {
                CheckLinks(entry.FullName, physicalRoot);
            }
        }
    }

    /// <summary>The physical path (as realpath(3) gives it): every symbolic link on the way followed; missing parts kept as written.</summary>
    private static string Resolve(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/').Reverse());
        var parts = new List<string>();
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            var target = new FileInfo("/" + string.Join('/', parts.Append(part))).LinkTarget;
            if (target is null)
            {
                parts.Add(part);
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException("too many levels of symbolic links");
            }

            if (target.StartsWith('/'))
            {
                parts.Clear();
            }

            foreach (var segment in target.Split('/').Reverse())
            {
                pending.Push(segment);
            }
        }

        return "/" + string.Join('/', parts);
    }

    private static bool IsInside(string root, string path) =>
        string.Equals(path, root, StringComparison.Ordinal) || path.StartsWith(root + "/", StringComparison.Ordinal);
}

/// <summary>The archive holds something Courier will not extract or deliver.</summary>
internal sealed class UnsafeArchiveException : Exception
{
    public UnsafeArchiveException(string message)
        : base(message)
    {
    }

    public UnsafeArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnsafeArchiveException()
    {
    }
}
