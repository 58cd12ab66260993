using System.Reflection;
using Courier;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;

namespace Courier.Host.Plugins;

/// <summary>
/// Loads every plugin folder (<c>DIR/NAME/NAME.dll</c> with its deps.json and native assets) under the plugin
/// directories, each in its own load context sharing the contracts with the host, and lets its
/// <see cref="ICourierPlugin"/> register into the builder. Any problem stops the host at start-up.
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
        Assembly assembly;
        Type[] types;
        try
        {
            assembly = loader.LoadDefaultAssembly();
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            throw new InvalidOperationException($"Plugin {name} ({assemblyPath}) could not be loaded: {e.Message}", e);
        }

        var entryPoints = types
            .Where(type => typeof(ICourierPlugin).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false })
            .ToList();
        if (entryPoints.Count == 0)
        {
            throw new InvalidOperationException(
                $"Plugin {name} ({assemblyPath}) has no public class implementing {typeof(ICourierPlugin).FullName}. " +
                "If it has one, it was built against another major version of Courier.Abstractions.");
        }

        foreach (var entryPoint in entryPoints)
        {
            if (Activator.CreateInstance(entryPoint) is not ICourierPlugin plugin)
            {
                throw new InvalidOperationException($"Plugin {name}: {entryPoint.FullName} needs a public parameterless constructor.");
            }

            plugin.Configure(builder);
        }

        return new LoadedPlugin(name, assemblyPath, assembly.GetName().Version?.ToString() ?? "?", [.. entryPoints.Select(t => t.FullName ?? t.Name)]);
    }
}

/// <summary>A plugin the host loaded.</summary>
internal sealed record LoadedPlugin(string Name, string AssemblyPath, string Version, IReadOnlyList<string> EntryPoints);
