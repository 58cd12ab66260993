using Microsoft.AspNetCore.Builder;

namespace Courier.Host.Plugins.Install;

/// <summary>
/// What the host itself provides to plugins, so an install neither downloads nor copies it: the contracts, the
/// Microsoft.Extensions abstractions shared with plugins (see <see cref="PluginFolderLoader"/>), every assembly in
/// the host's folder and in the shared frameworks the host runs on.
/// </summary>
internal sealed class HostProvidedAssemblies
{
    private readonly HashSet<string> _assemblyNames;

    private HostProvidedAssemblies(HashSet<string> assemblyNames) => _assemblyNames = assemblyNames;

    public static HostProvidedAssemblies Discover()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string?[] folders =
        [
            AppContext.BaseDirectory,
            Path.GetDirectoryName(typeof(object).Assembly.Location),
            Path.GetDirectoryName(typeof(WebApplication).Assembly.Location),
        ];
        foreach (var folder in folders.OfType<string>().Where(f => f.Length > 0 && Directory.Exists(f)).Distinct(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.dll"))
            {
                names.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        return new HostProvidedAssemblies(names);
    }

    /// <summary>Whether the package <paramref name="packageId"/> is the host's (not installed, nor its dependencies).</summary>
    public bool ProvidesPackage(string packageId) =>
        packageId.Equals("Courier.Abstractions", StringComparison.OrdinalIgnoreCase)
        || (packageId.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase) && packageId.EndsWith(".Abstractions", StringComparison.OrdinalIgnoreCase))
        || _assemblyNames.Contains(packageId);

    /// <summary>Whether an assembly file from a package is one the host already has (then it is not copied).</summary>
    public bool ProvidesAssemblyFile(string fileName) =>
        fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && _assemblyNames.Contains(Path.GetFileNameWithoutExtension(fileName));
}
