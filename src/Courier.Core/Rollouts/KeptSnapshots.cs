using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Courier.Core.Rollouts;

/// <summary>
/// The last revision of each rolled-out source that completed its rollout, copied into the state directory
/// (<c>StateDirectory/rollouts/&lt;source&gt;/</c>): what a stopped rollout sends its switched targets back to, when a
/// target keeps no release of it (in place, or pruned). Copied, not linked: a git snapshot is updated in place.
/// </summary>
internal sealed class KeptSnapshots(IOptions<CourierOptions> options)
{
    private const string FilesDirectory = "files";
    private const string RevisionFile = "revision.json";

    /// <summary>The kept snapshot of <paramref name="sourceId"/>, or null when none was kept (no rollout of it completed yet).</summary>
    public Snapshot? Find(string sourceId, string? destinationPath)
    {
        var directory = DirectoryOf(sourceId);
        var revisionFile = Path.Combine(directory, RevisionFile);
        if (!File.Exists(revisionFile) || !Directory.Exists(Path.Combine(directory, FilesDirectory)))
        {
            return null;
        }

        try
        {
            var revision = JsonSerializer.Deserialize<string>(File.ReadAllText(revisionFile));
            return revision is null ? null : new Snapshot(sourceId, Path.Combine(directory, FilesDirectory), destinationPath, revision);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps a copy of <paramref name="snapshot"/> in place of the one kept before: built beside it, then renamed over it.</summary>
    public void Keep(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var directory = DirectoryOf(snapshot.SourceId);
        var building = directory + ".building";
        var old = directory + ".old";
        foreach (var leftover in new[] { building, old })
        {
            if (Directory.Exists(leftover))
            {
                Directory.Delete(leftover, recursive: true);
            }
        }

        Copy(snapshot.LocalDirectory, Path.Combine(building, FilesDirectory), cancellationToken);
        File.WriteAllText(Path.Combine(building, RevisionFile), JsonSerializer.Serialize(snapshot.Revision));
        if (Directory.Exists(directory))
        {
            Directory.Move(directory, old);
        }

        Directory.Move(building, directory);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private string DirectoryOf(string sourceId)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceId)))[..16];
        return Path.Combine(options.Value.StateDirectory, "rollouts", name);
    }

    /// <summary>Files and links as they are (a link is copied as a link), skipping what rsync never delivers (<c>.git*</c>).</summary>
    private static void Copy(string from, string to, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Name.StartsWith(".git", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                Copy(entry.FullName, target, cancellationToken);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
