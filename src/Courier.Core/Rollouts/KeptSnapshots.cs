using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Courier.Core.Rollouts;

/// <summary>
/// The last two revisions of each rolled-out source that completed a rollout, copied into the state directory
/// (<c>StateDirectory/rollouts/&lt;source&gt;/current</c> and <c>previous</c>): what a stopped rollout sends its switched
/// targets back to (the current one), and what <c>POST /rollback</c> delivers (the previous one unless told), when a
/// target keeps no release of it (in place, or pruned). Copied, not linked: a git snapshot is updated in place.
/// </summary>
internal sealed class KeptSnapshots(IOptions<CourierOptions> options)
{
    private const string FilesDirectory = "files";
    private const string RevisionFile = "revision.json";
    private const string Current = "current";
    private const string Previous = "previous";

    /// <summary>The revision of the source's last completed rollout, or null when none completed yet.</summary>
    public Snapshot? Find(string sourceId) => Read(sourceId, Current);

    /// <summary>The revision completed before <see cref="Find"/>'s, or null.</summary>
    public Snapshot? FindPrevious(string sourceId) => Read(sourceId, Previous);

    /// <summary>The kept snapshot of <paramref name="revision"/> (a full revision, or a prefix of at least 7 characters), or null.</summary>
    public Snapshot? FindRevision(string sourceId, string revision) =>
        new[] { Find(sourceId), FindPrevious(sourceId) }.FirstOrDefault(kept => kept is not null &&
            (kept.Revision == revision || (revision.Length >= 7 && kept.Revision.StartsWith(revision, StringComparison.Ordinal))));

    /// <summary>Keeps a copy of <paramref name="snapshot"/> as the current revision; the one kept before becomes the previous.</summary>
    public void Keep(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Find(snapshot.SourceId)?.Revision == snapshot.Revision)
        {
            return;
        }

        var root = DirectoryOf(snapshot.SourceId);
        var building = Path.Combine(root, "building");
        if (Directory.Exists(building))
        {
            Directory.Delete(building, recursive: true);
        }

        Copy(snapshot.LocalDirectory, Path.Combine(building, FilesDirectory), wholeDirectory: snapshot.DeliversContents, atRoot: true, cancellationToken);
        File.WriteAllText(Path.Combine(building, RevisionFile), JsonSerializer.Serialize(new KeptRevision(snapshot.Revision, snapshot.DestinationPath)));
        var previous = Path.Combine(root, Previous);
        var current = Path.Combine(root, Current);
        if (Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }

        if (Directory.Exists(current))
        {
            Directory.Move(current, previous);
        }

        Directory.Move(building, current);
    }

    private Snapshot? Read(string sourceId, string which)
    {
        var directory = Path.Combine(DirectoryOf(sourceId), which);
        var revisionFile = Path.Combine(directory, RevisionFile);
        if (!File.Exists(revisionFile) || !Directory.Exists(Path.Combine(directory, FilesDirectory)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<KeptRevision>(File.ReadAllText(revisionFile)) is { Revision: { } revision } kept
                ? new Snapshot(sourceId, Path.Combine(directory, FilesDirectory), kept.DestinationPath, revision)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record KeptRevision(string Revision, string? DestinationPath);

    private string DirectoryOf(string sourceId)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceId)))[..16];
        return Path.Combine(options.Value.StateDirectory, "rollouts", name);
    }

    /// <summary>
    /// What the transfer delivers of the directory, as it delivers it: files and links as they are, skipping
    /// <c>.git*</c> and the top <c>.courier/</c> (atomic releases: the transfer excludes both); for a whole hermes
    /// directory (<paramref name="wholeDirectory"/>) a link to a directory is copied as that directory, as the
    /// transfer's <c>--copy-dirlinks</c> delivers it: a release link keeps its tree, not every release behind it.
    /// </summary>
    private static void Copy(string from, string to, bool wholeDirectory, bool atRoot, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Name.StartsWith(".git", StringComparison.Ordinal) || (atRoot && entry.Name == Transfer.AtomicRelease.StateDirectory))
            {
                continue;
            }

            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link && !(wholeDirectory && entry is DirectoryInfo && Directory.Exists(entry.FullName)))
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                Copy(entry.FullName, target, wholeDirectory, atRoot: false, cancellationToken);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
