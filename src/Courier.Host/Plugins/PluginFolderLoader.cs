using System.Reflection;
using Courier;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;

namespace Courier.Host.Plugins;

/// <summary>
/// Loads every plugin folder (<c>DIR/NAME/NAME.dll</c> with its deps.json and native assets) under the plugin
/// directories, each in its own load context sharing the contracts with the host, and registers what it holds
/// (its <see cref="ICourierPlugin"/>, or else its public factories: see <c>AddCourierPluginsFrom</c>). Any problem
/// stops the host at start-up.
/// </summary>
internal static class PluginFolderLoader
{
    /// <summary>Types whose assemblies must be the host's own, so plugin and host agree on them.</summary>
    private static readonly Type[] SharedTypes =
    [
        typeof(ISource),
        typeof(IServiceCollection),
        typeof(ILogger),
        typeof(IOptions<>),
        typeof(IHttpClientFactory),
        typeof(IConfiguration),
    ];

    public static IReadOnlyList<string> DefaultDirectories => [Path.Combine(AppContext.BaseDirectory, "plugins")];

    public static IReadOnlyList<LoadedPlugin> LoadInto(ICourierBuilder builder, IEnumerable<string> pluginDirectories)
    {
        var loaded = new List<LoadedPlugin>();
        foreach (var directory in pluginDirectories)
        {
            var fullDirectory = Path.GetFullPath(directory, AppContext.BaseDirectory);
            if (!Directory.Exists(fullDirectory))
            {
                throw new InvalidOperationException($"Plugin directory \"{fullDirectory}\" does not exist (Courier:PluginDirectories).");
            }

            foreach (var folder in Directory.EnumerateDirectories(fullDirectory).Order(StringComparer.Ordinal))
            {
                loaded.Add(LoadFolder(folder, builder));
            }
        }

        return loaded;
    }

    private static LoadedPlugin LoadFolder(string folder, ICourierBuilder builder)
    {
        var name = Path.GetFileName(folder);
        var assemblyPath = Path.Combine(folder, name + ".dll");
        if (!File.Exists(assemblyPath))
        {
            throw new InvalidOperationException($"Plugin folder \"{folder}\" has no {name}.dll: a plugin folder holds the assembly named after the folder.");
        }

        var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config => config.PreferSharedTypes = true);
        try
        {
            var assembly = loader.LoadDefaultAssembly();
            builder.AddCourierPluginsFrom(assembly);
            return new LoadedPlugin(name, assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?");
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Plugin {name} ({assemblyPath}) could not be loaded: {e.Message}", e);
        }
    }
}

/// <summary>A plugin the host loaded.</summary>
internal sealed record LoadedPlugin(string Name, string Version);
