using System.Runtime.InteropServices;
using NuGet.Common;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Protocol.Core.Types;

namespace Courier.Host.Plugins.Install;

/// <summary>
/// Downloads resolved packages (each capped in size) and lays out what the host's plugin loader needs in one
/// folder: the managed assemblies of the lib/ group nearest to the host's framework (sub-folders such as satellite
/// resources kept) and this machine's runtimes/RID/native libraries, flat beside them. Assemblies the host has
/// are not copied, so the plugin uses the host's.
/// </summary>
internal sealed class PluginPackageExtractor(HostProvidedAssemblies host, SourceCacheContext cache, PluginInstallLimits limits)
{
    /// <summary>Downloads <paramref name="package"/> into <paramref name="downloadDirectory"/> and returns the file.</summary>
    public async Task<string> DownloadAsync(ResolvedPackage package, string downloadDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(downloadDirectory, $"{package.Identity.Id}.{package.Identity.Version.ToNormalizedString()}.nupkg".ToLowerInvariant());
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var capped = new SizeCappedWriteStream(file, limits.MaxPackageBytes, $"package {package.Identity}");
            await using (capped.ConfigureAwait(false))
            {
                if (!await package.Source.CopyNupkgToStreamAsync(package.Identity.Id, package.Identity.Version, capped, cache, NullLogger.Instance, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"{package.SourceName} lists {package.Identity} but cannot serve it.");
                }
            }
        }

        return path;
    }

    /// <summary>Copies the package's files for this host into <paramref name="targetFolder"/>; returns the files written (relative).</summary>
    public async Task<IReadOnlyList<string>> ExtractAsync(string nupkgPath, string targetFolder, CancellationToken cancellationToken)
    {
        using var reader = new PackageArchiveReader(nupkgPath);
        var written = new List<string>();
        var libGroups = (await reader.GetLibItemsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        var nearest = new FrameworkReducer().GetNearest(PluginPackageResolver.HostFramework, libGroups.Select(g => g.TargetFramework));
        var identity = await reader.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
        if (nearest is null && libGroups.Count > 0)
        {
            throw new InvalidOperationException(
                $"{identity} has no assemblies for {PluginPackageResolver.HostFramework.GetShortFolderName()} (lib/ has {string.Join(", ", libGroups.Select(g => g.TargetFramework.GetShortFolderName()))}).");
        }

        var libGroup = libGroups.FirstOrDefault(g => g.TargetFramework == nearest);
        foreach (var item in libGroup?.Items ?? [])
        {
            var prefix = item[..(item.IndexOf('/', "lib/".Length) + 1)];
            var relative = item[prefix.Length..];
            if (!host.ProvidesAssemblyFile(Path.GetFileName(relative)) && !item.EndsWith('/'))
            {
                await CopyEntryAsync(reader, item, relative, targetFolder, written, cancellationToken).ConfigureAwait(false);
            }
        }

        var nativePrefix = $"runtimes/{RuntimeInformation.RuntimeIdentifier}/native/";
        foreach (var item in (await reader.GetFilesAsync(cancellationToken).ConfigureAwait(false)).Where(f => f.StartsWith(nativePrefix, StringComparison.OrdinalIgnoreCase) && !f.EndsWith('/')))
        {
            await CopyEntryAsync(reader, item, Path.GetFileName(item), targetFolder, written, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    private async Task CopyEntryAsync(PackageArchiveReader reader, string entryPath, string relative, string targetFolder, List<string> written, CancellationToken cancellationToken)
    {
        var destination = Path.GetFullPath(Path.Combine(targetFolder, relative));
        if (!destination.StartsWith(Path.GetFullPath(targetFolder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The package file \"{entryPath}\" would land outside the plugin folder.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var source = reader.GetStream(entryPath);
        await using (source.ConfigureAwait(false))
        {
            var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                var capped = new SizeCappedWriteStream(file, limits.MaxExtractedFileBytes, $"\"{entryPath}\"");
                await using (capped.ConfigureAwait(false))
                {
                    await source.CopyToAsync(capped, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        written.Add(relative);
    }
}
