using System.Text.Json;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;

namespace Courier.Host.Plugins.Install;

/// <summary>What an install wrote into a plugin folder, kept there as <see cref="FileName"/> for <c>plugins list</c>.</summary>
internal sealed record PluginInstallManifest(string Id, string Version, string Source, IReadOnlyList<string> Packages)
{
    public const string FileName = "courier-plugin.json";

    public static PluginInstallManifest? TryRead(string pluginFolder)
    {
        var path = Path.Combine(pluginFolder, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<PluginInstallManifest>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void WriteTo(string pluginFolder) =>
        File.WriteAllText(Path.Combine(pluginFolder, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
}

/// <summary>
/// Installs a plugin package and its dependencies from NuGet feeds into <c>DIR/ID/</c>, the layout the host's
/// plugin loader reads (<c>DIR/ID/ID.dll</c>). Everything is staged outside the plugin directory first, so a
/// failed install leaves what was there untouched.
/// </summary>
internal static class PluginInstaller
{
    public static async Task<PluginInstallManifest> InstallAsync(
        string packageId, string? version, IReadOnlyList<string> sourceArguments, string pluginDirectory, PluginInstallLimits limits, CancellationToken cancellationToken)
    {
        using var cache = new SourceCacheContext { NoCache = true };
        var sources = await OpenSourcesAsync(sourceArguments, cancellationToken).ConfigureAwait(false);
        var host = HostProvidedAssemblies.Discover();
        if (host.ProvidesPackage(packageId))
        {
            throw new InvalidOperationException($"{packageId} is part of the host, not a plugin.");
        }

        var packages = await new PluginPackageResolver(sources, host, cache).ResolveAsync(packageId, version, cancellationToken).ConfigureAwait(false);
        var root = packages[0];
        var staging = Directory.CreateTempSubdirectory("courier-plugin-install-");
        try
        {
            var extractor = new PluginPackageExtractor(host, cache, limits);
            var downloads = Directory.CreateDirectory(Path.Combine(staging.FullName, "downloads")).FullName;
            var rootPath = await extractor.DownloadAsync(root, downloads, cancellationToken).ConfigureAwait(false);
            string id;
            using (var reader = new PackageArchiveReader(rootPath))
            {
                id = (await reader.GetIdentityAsync(cancellationToken).ConfigureAwait(false)).Id;
            }

            var folder = Path.Combine(staging.FullName, id);
            Directory.CreateDirectory(folder);
            await extractor.ExtractAsync(rootPath, folder, cancellationToken).ConfigureAwait(false);
            foreach (var dependency in packages.Skip(1))
            {
                var path = await extractor.DownloadAsync(dependency, downloads, cancellationToken).ConfigureAwait(false);
                await extractor.ExtractAsync(path, folder, cancellationToken).ConfigureAwait(false);
            }

            if (!File.Exists(Path.Combine(folder, id + ".dll")))
            {
                throw new InvalidOperationException(
                    $"{root.Identity} holds no {id}.dll for {PluginPackageResolver.HostFramework.GetShortFolderName()}: a plugin package's main assembly is named after the package.");
            }

            var manifest = new PluginInstallManifest(id, root.Identity.Version.ToNormalizedString(), root.SourceName, [.. packages.Select(p => p.Identity.ToString())]);
            manifest.WriteTo(folder);
            var target = Path.Combine(pluginDirectory, id);
            Directory.CreateDirectory(pluginDirectory);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            CopyDirectory(folder, target);
            return manifest;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>The feeds to use: those given (URLs or local folders), else the machine's enabled NuGet sources.</summary>
    private static async Task<List<(string Name, FindPackageByIdResource Resource)>> OpenSourcesAsync(IReadOnlyList<string> sourceArguments, CancellationToken cancellationToken)
    {
        var packageSources = sourceArguments.Count > 0
            ? sourceArguments.Select(s => new PackageSource(Directory.Exists(s) ? Path.GetFullPath(s) : s)).ToList()
            : [.. new PackageSourceProvider(Settings.LoadDefaultSettings(root: null)).LoadPackageSources().Where(s => s.IsEnabled)];
        if (packageSources.Count == 0)
        {
            throw new InvalidOperationException("No NuGet source is configured on this machine: give one with --source (a feed URL or a local folder).");
        }

        var opened = new List<(string, FindPackageByIdResource)>();
        foreach (var source in packageSources)
        {
            if (!source.IsHttp && !Directory.Exists(source.Source))
            {
                throw new InvalidOperationException($"The source \"{source.Source}\" is neither a feed URL nor an existing folder.");
            }

            var repository = Repository.Factory.GetCoreV3(source);
            var resource = await repository.GetResourceAsync<FindPackageByIdResource>(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The source \"{source.Source}\" cannot be searched by package id.");
            opened.Add((source.Source, resource));
        }

        return opened;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
