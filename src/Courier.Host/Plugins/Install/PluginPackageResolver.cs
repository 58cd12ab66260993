using NuGet.Common;
using NuGet.Frameworks;
using NuGet.Packaging.Core;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace Courier.Host.Plugins.Install;

/// <summary>A package chosen for an install, with the feed that serves that version.</summary>
internal sealed record ResolvedPackage(PackageIdentity Identity, FindPackageByIdResource Source, string SourceName);

/// <summary>
/// Walks a plugin package's dependency graph over the feeds with NuGet's own version ranges: the root at the asked
/// version (or the newest, stable first), each dependency at the lowest version its range allows (NuGet's rule),
/// dependencies taken from the group nearest to the host's framework. Packages the host provides are left out with
/// their own dependencies. Two ranges one version cannot satisfy are an error, not a guess.
/// </summary>
internal sealed class PluginPackageResolver(
    IReadOnlyList<(string Name, FindPackageByIdResource Resource)> sources,
    HostProvidedAssemblies host,
    SourceCacheContext cache)
{
    public static NuGetFramework HostFramework { get; } = NuGetFramework.Parse("net10.0");

    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(string packageId, string? version, CancellationToken cancellationToken)
    {
        var root = await ChooseRootAsync(packageId, version, cancellationToken).ConfigureAwait(false);
        var chosen = new Dictionary<string, ResolvedPackage>(StringComparer.OrdinalIgnoreCase) { [root.Identity.Id] = root };
        var pending = new Queue<ResolvedPackage>([root]);
        while (pending.TryDequeue(out var package))
        {
            foreach (var dependency in await DependenciesAsync(package, cancellationToken).ConfigureAwait(false))
            {
                if (host.ProvidesPackage(dependency.Id))
                {
                    continue;
                }

                if (chosen.TryGetValue(dependency.Id, out var already))
                {
                    if (!dependency.VersionRange.Satisfies(already.Identity.Version))
                    {
                        throw new InvalidOperationException(
                            $"{package.Identity} needs {dependency.Id} {dependency.VersionRange.PrettyPrint()}, but {already.Identity} was already chosen for another package.");
                    }

                    continue;
                }

                var versions = await VersionsAsync(dependency.Id, cancellationToken).ConfigureAwait(false);
                var best = dependency.VersionRange.FindBestMatch(versions.Select(v => v.Version))
                    ?? throw new InvalidOperationException(
                        $"{package.Identity} needs {dependency.Id} {dependency.VersionRange.PrettyPrint()}; no source has a version in that range ({Describe(versions)}).");
                var resolved = versions.First(v => v.Version == best).Package;
                chosen.Add(dependency.Id, resolved);
                pending.Enqueue(resolved);
            }
        }

        return [.. chosen.Values];
    }

    private async Task<ResolvedPackage> ChooseRootAsync(string packageId, string? version, CancellationToken cancellationToken)
    {
        var versions = await VersionsAsync(packageId, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            throw new InvalidOperationException($"No source has a package {packageId} (sources: {string.Join(", ", sources.Select(s => s.Name))}).");
        }

        NuGetVersion? wanted;
        if (version is null)
        {
            wanted = versions.Select(v => v.Version).Where(v => !v.IsPrerelease).Max() ?? versions.Max(v => v.Version);
        }
        else if (NuGetVersion.TryParse(version, out var exact))
        {
            wanted = versions.Select(v => v.Version).FirstOrDefault(v => v == exact);
        }
        else if (VersionRange.TryParse(version, out var range))
        {
            wanted = range.FindBestMatch(versions.Select(v => v.Version));
        }
        else
        {
            throw new InvalidOperationException($"--version \"{version}\" is neither a version nor a version range.");
        }

        return wanted is null
            ? throw new InvalidOperationException($"{packageId} has no version {version} ({Describe(versions)}).")
            : versions.First(v => v.Version == wanted).Package;
    }

    private async Task<IEnumerable<PackageDependency>> DependenciesAsync(ResolvedPackage package, CancellationToken cancellationToken)
    {
        var info = await package.Source.GetDependencyInfoAsync(package.Identity.Id, package.Identity.Version, cache, NullLogger.Instance, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{package.SourceName} lists {package.Identity} but cannot serve it.");
        var group = NuGetFrameworkUtility.GetNearest(info.DependencyGroups, HostFramework, g => g.TargetFramework);
        if (group is null && info.DependencyGroups.Count > 0)
        {
            throw new InvalidOperationException(
                $"{package.Identity} does not support {HostFramework.GetShortFolderName()} (it targets {string.Join(", ", info.DependencyGroups.Select(g => g.TargetFramework.GetShortFolderName()))}).");
        }

        return group?.Packages ?? [];
    }

    /// <summary>Every version of <paramref name="packageId"/> on every source; a version on several sources is taken from the first.</summary>
    private async Task<List<(NuGetVersion Version, ResolvedPackage Package)>> VersionsAsync(string packageId, CancellationToken cancellationToken)
    {
        var found = new Dictionary<NuGetVersion, ResolvedPackage>();
        foreach (var (name, resource) in sources)
        {
            foreach (var version in await resource.GetAllVersionsAsync(packageId, cache, NullLogger.Instance, cancellationToken).ConfigureAwait(false))
            {
                found.TryAdd(version, new ResolvedPackage(new PackageIdentity(packageId, version), resource, name));
            }
        }

        return [.. found.Select(pair => (pair.Key, pair.Value))];
    }

    private static string Describe(List<(NuGetVersion Version, ResolvedPackage Package)> versions) =>
        versions.Count == 0 ? "none found" : "found: " + string.Join(", ", versions.Select(v => v.Version.ToNormalizedString()).Order(StringComparer.Ordinal));
}
