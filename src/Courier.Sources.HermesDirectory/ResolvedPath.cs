namespace Courier.Sources.HermesDirectory;

/// <summary>Paths with every symbolic link along them resolved, as the kernel would follow them.</summary>
internal static class ResolvedPath
{
    private const int MaxLinks = 40;

    /// <summary>
    /// The path with each component's symbolic link resolved (like realpath(3)); a missing component ends
    /// the resolution and the rest is appended as written.
    /// </summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var pending = new Queue<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var links = 0;
        while (pending.TryDequeue(out var segment))
        {
            var next = Path.Combine(current, segment);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"\"{path}\" has more than {MaxLinks} symbolic links along it.");
                }

                // Resolve the target against the link's directory, then the rest of the path against the target.
                var resolvedTarget = Path.GetFullPath(target, current);
                var rest = pending.ToArray();
                pending = new Queue<string>([.. resolvedTarget.Split('/', StringSplitOptions.RemoveEmptyEntries), .. rest]);
                current = "/";
                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it (both resolved already).</summary>
    public static bool IsWithin(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);
}
