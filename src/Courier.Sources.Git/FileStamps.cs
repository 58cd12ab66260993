using System.Globalization;

namespace Courier.Sources.Git;

/// <summary>
/// The modification times a snapshot's writes give their files: now in whole seconds, but always at least one second
/// later than the previous write's (kept in a file beside the snapshot). rsync's quick check compares sizes and
/// whole-second times, so a file rewritten with the same size within the same second as its earlier version, or with
/// a clock stepped back, would otherwise look unchanged.
/// </summary>
internal sealed class FileStamps(string path)
{
    public DateTime Next()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var next = Last() is { } last && last >= now ? last + 1 : now;
        // Recorded before any file gets it: a write cut short never lets the next one reuse the stamp.
        File.WriteAllText(path, next.ToString(CultureInfo.InvariantCulture));
        return DateTime.UnixEpoch.AddSeconds(next);
    }

    private long? Last() =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var last) ? last : null;
}
