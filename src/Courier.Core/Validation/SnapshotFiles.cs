using System.IO.Enumeration;

namespace Courier.Core.Validation;

/// <summary>
/// The files of a snapshot that a built-in check reads: regular files with one of its extensions, in every
/// subdirectory, as rsync delivers them. Names starting with <c>.git</c> are skipped (rsync's
/// <c>--exclude=.git*</c>: they are never delivered), and symbolic links are neither followed nor read (they are
/// delivered as links; what they point to is not part of the snapshot).
/// </summary>
internal static class SnapshotFiles
{
    /// <summary>The matching files below <paramref name="directory"/>, as absolute paths in ordinal order.</summary>
    public static IReadOnlyList<string> Find(string directory, IReadOnlyList<string> extensions)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(extensions);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the snapshot directory {directory} does not exist.");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        var files = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && !IsLink(ref entry) && !IsExcluded(entry.FileName) && HasExtension(entry.FileName, extensions),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !IsLink(ref entry) && !IsExcluded(entry.FileName),
        };
        return [.. files.Order(StringComparer.Ordinal)];
    }

    private static bool IsLink(ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;

    private static bool IsExcluded(ReadOnlySpan<char> name) => name.StartsWith(".git", StringComparison.Ordinal);

    private static bool HasExtension(ReadOnlySpan<char> name, IReadOnlyList<string> extensions)
    {
        foreach (var extension in extensions)
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && name.Length > extension.Length)
            {
                return true;
            }
        }

        return false;
    }
}
