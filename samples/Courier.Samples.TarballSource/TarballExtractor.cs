using System.Formats.Tar;
using System.IO.Compression;

namespace Courier.Samples.TarballSource;

/// <summary>
/// Extracts a <c>.tar.gz</c> archive with <see cref="TarFile.ExtractToDirectory(Stream, string, bool)"/>, after
/// checking every entry first. <see cref="TarFile"/> itself refuses names and link targets that lead outside the
/// target directory as written; it does not see links through links, so this class also refuses entries written
/// through a symbolic link of the archive and, after extraction, links that lead outside once followed. Also
/// refused: devices, an archive larger than <see cref="MaxExtractedBytes"/> or <see cref="MaxEntries"/>, and an
/// archive without a single file (delivering an empty directory would delete everything at the destinations).
/// </summary>
internal static class TarballExtractor
{
    /// <summary>The most an archive may hold, uncompressed.</summary>
    public const long MaxExtractedBytes = 1L << 30;

    /// <summary>The most entries an archive may hold.</summary>
    public const int MaxEntries = 100_000;

    private const int MaxLinkHops = 40;

    private const UnixFileMode PermissionBits =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Extracts <paramref name="archive"/> into <paramref name="directory"/> (created); returns the number of files.</summary>
    /// <exception cref="InvalidDataException">The archive is not a readable .tar.gz.</exception>
    /// <exception cref="UnsafeArchiveException">The archive holds an unsafe entry, too much, or no file.</exception>
    public static int Extract(string archive, string directory, CancellationToken cancellationToken)
    {
        int files;
        try
        {
            using (var entries = new TarReader(new GZipStream(File.OpenRead(archive), CompressionMode.Decompress)))
            {
                files = TarballEntryCheck.CheckAll(entries, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Directory.CreateDirectory(directory);
            using var input = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
            try
            {
                TarFile.ExtractToDirectory(input, directory, overwriteFiles: false);
            }
            catch (IOException e) when (e is not EndOfStreamException)
            {
                // TarFile's own refusals (a name or link target outside the directory as written, a link to it) land here.
                throw new UnsafeArchiveException($"the archive could not be extracted safely: {e.Message}", e);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"the archive is not a readable .tar.gz: {e.Message}", e);
        }

        var root = Path.GetFullPath(directory).TrimEnd('/');
        CheckTree(root, Resolve(root));
        return files;
    }

    /// <summary>
    /// Every link of the extracted tree, followed as the system follows it, must end inside it; files keep their
    /// permission bits (an executable script stays executable), never set-uid, set-gid or sticky.
    /// </summary>
    private static void CheckTree(string directory, string physicalRoot)
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
                    throw new UnsafeArchiveException($"the symbolic link \"{entry.Name}\" of the archive cannot be followed: {e.Message}", e);
                }

                if (!IsInside(physicalRoot, resolved))
                {
                    throw new UnsafeArchiveException($"the symbolic link \"{entry.Name}\" (to \"{target}\") of the archive leads outside it, through other links.");
                }
            }
            else if (entry is DirectoryInfo)
            {
                CheckTree(entry.FullName, physicalRoot);
            }
            else if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(entry.FullName, (entry.UnixFileMode & PermissionBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
