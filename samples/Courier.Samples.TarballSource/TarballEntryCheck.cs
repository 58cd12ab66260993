using System.Formats.Tar;

namespace Courier.Samples.TarballSource;

/// <summary>
/// Reads every entry of an archive (headers only) before anything is extracted, and refuses the archive when one
/// entry could reach outside the target directory or when it holds too much.
/// </summary>
internal static class TarballEntryCheck
{
    private enum Kind
    {
        Directory,
        File,
        SymbolicLink,
    }

    /// <summary>Checks every entry of <paramref name="reader"/>; returns the number of files (hard links included).</summary>
    /// <exception cref="UnsafeArchiveException">An entry is unsafe, the archive holds too much, or no file.</exception>
    public static int CheckAll(TarReader reader, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, Kind>(StringComparer.Ordinal);
        var (entries, files, bytes) = (0, 0, 0L);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++entries > TarballExtractor.MaxEntries)
            {
                throw new UnsafeArchiveException($"the archive holds more than {TarballExtractor.MaxEntries} entries.");
            }

            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            var relative = RelativePath(entry.Name, entry.Name);
            if (relative is null)
            {
                if (entry.EntryType == TarEntryType.Directory)
                {
                    continue;
                }

                throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" has no name of its own.");
            }

            CheckNoLinkOnTheWay(relative, entry.Name, seen);
            var kind = entry.EntryType switch
            {
                TarEntryType.Directory => Kind.Directory,
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.HardLink => Kind.File,
                TarEntryType.SymbolicLink => Kind.SymbolicLink,
                _ => throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a {entry.EntryType} entry: only files, directories and links are allowed."),
            };
            if (seen.TryGetValue(relative, out var earlier) && !(earlier == Kind.Directory && kind == Kind.Directory))
            {
                throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" names a path the archive already holds.");
            }

            if (entry.EntryType == TarEntryType.SymbolicLink)
            {
                CheckSymbolicLink(relative, entry);
            }
            else if (entry.EntryType == TarEntryType.HardLink)
            {
                // Tar hard links name another entry of the archive: a file extracted before, reached without links.
                var linked = RelativePath(entry.LinkName, entry.Name)
                    ?? throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a hard link to nothing.");
                CheckNoLinkOnTheWay(linked, entry.Name, seen);
                if (seen.GetValueOrDefault(linked, Kind.Directory) != Kind.File)
                {
                    throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a hard link to \"{entry.LinkName}\", which is not a file extracted before it.");
                }
            }

            if (kind == Kind.File)
            {
                files++;
                bytes += entry.Length;
                if (bytes > TarballExtractor.MaxExtractedBytes)
                {
                    throw new UnsafeArchiveException($"the archive holds more than {TarballExtractor.MaxExtractedBytes} bytes uncompressed.");
                }
            }

            seen[relative] = kind;
        }

        return files > 0
            ? files
            : throw new UnsafeArchiveException("the archive holds no file; refusing it (delivering an empty directory would delete everything at the destinations).");
    }

    /// <summary>The entry's path relative to the archive root (null for the root itself), refusing absolute paths and "..".</summary>
    private static string? RelativePath(string name, string entryName)
    {
        if (name.StartsWith('/'))
        {
            throw new UnsafeArchiveException($"archive entry \"{entryName}\" has an absolute path (\"{name}\"): only paths inside the archive are allowed.");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException($"archive entry \"{entryName}\" has a NUL character in its name.");
        }

        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        return segments.Contains("..")
            ? throw new UnsafeArchiveException($"archive entry \"{entryName}\" climbs out of the archive with \"..\" (\"{name}\").")
            : segments.Count == 0 ? null : string.Join('/', segments);
    }

    /// <summary>Refuses to write through a symbolic link of the archive (it could lead anywhere) or below a file.</summary>
    private static void CheckNoLinkOnTheWay(string relative, string entryName, Dictionary<string, Kind> seen)
    {
        for (var slash = relative.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = relative.IndexOf('/', slash + 1))
        {
            var parent = relative[..slash];
            switch (seen.GetValueOrDefault(parent, Kind.Directory))
            {
                case Kind.SymbolicLink:
                    throw new UnsafeArchiveException($"archive entry \"{entryName}\" would be written through the symbolic link \"{parent}\".");
                case Kind.File:
                    throw new UnsafeArchiveException($"archive entry \"{entryName}\" would be written below the file \"{parent}\".");
            }
        }
    }

    /// <summary>Only relative links that stay inside the archive as written (links through links are checked after extraction).</summary>
    private static void CheckSymbolicLink(string relative, TarEntry entry)
    {
        var target = entry.LinkName;
        if (string.IsNullOrEmpty(target) || target.StartsWith('/') || target.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a symbolic link to \"{target}\": only relative links inside the archive are allowed.");
        }

        var depth = relative.Count(c => c == '/');
        foreach (var segment in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            depth += segment switch { "." => 0, ".." => -1, _ => 1 };
            if (depth < 0)
            {
                throw new UnsafeArchiveException($"archive entry \"{entry.Name}\" is a symbolic link to \"{target}\", outside the archive.");
            }
        }
    }
}
