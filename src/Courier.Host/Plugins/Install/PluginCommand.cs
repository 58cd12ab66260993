using System.CommandLine;
using System.Diagnostics;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Protocol.Core.Types;

namespace Courier.Host.Plugins.Install;

/// <summary>
/// <c>Courier.Host plugins install|list|remove</c>: manages the plugin folders without starting the host. The
/// plugin directories are those the host loads (<c>Courier:PluginDirectories</c> from appsettings.json or the
/// environment, else plugins/ beside the host), or <c>--plugin-directory</c>; installs go into the first.
/// </summary>
internal static class PluginCommand
{
    private static readonly Option<string[]> PluginDirectory = new("--plugin-directory")
    {
        Description = "A plugin directory, instead of those the host loads (installs go into the first).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource(PluginInstallLimits.Default.Timeout);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        // Ctrl+C is handled above, with the deadline, rather than by System.CommandLine's own handler.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await Commands(cancellation).Parse(["plugins", .. args]).InvokeAsync(invocation, cancellation.Token).ConfigureAwait(false);
    }

    /// <summary><c>Courier.Host plugins</c> and its three commands (System.CommandLine gives their help and parse errors).</summary>
    private static RootCommand Commands(CancellationTokenSource cancellation)
    {
        var id = new Argument<string>("package-id") { Description = "The plugin's NuGet package id." };
        var version = new Option<string?>("--version") { Description = "A version or a version range (default: the newest stable)." };
        var sources = new Option<string[]>("--source") { Description = "A feed URL or folder (repeatable; default: the machine's NuGet sources).", AllowMultipleArgumentsPerToken = false };

        var install = new Command("install", "Installs a plugin package and its dependencies into the first plugin directory.") { id, version, sources, PluginDirectory };
        install.SetAction((result, ct) => GuardedAsync(cancellation, async () =>
        {
            var directories = PluginDirectories(result.GetValue(PluginDirectory));
            var manifest = await PluginInstaller.InstallAsync(
                ValidId(result.GetValue(id)!), result.GetValue(version), result.GetValue(sources) ?? [], directories[0], PluginInstallLimits.Default, ct).ConfigureAwait(false);
            Console.WriteLine($"Installed {manifest.Id} {manifest.Version} into {Path.Combine(directories[0], manifest.Id)} (packages: {string.Join(", ", manifest.Packages)}).");
            return 0;
        }));

        var list = new Command("list", "Lists the plugins in the plugin directories.") { PluginDirectory };
        list.SetAction((result, _) => GuardedAsync(cancellation, () =>
        {
            List(PluginDirectories(result.GetValue(PluginDirectory)));
            return Task.FromResult(0);
        }));

        var removedId = new Argument<string>("package-id") { Description = "The plugin's package id (its folder's name)." };
        var remove = new Command("remove", "Removes an installed plugin's folder.") { removedId, PluginDirectory };
        remove.SetAction((result, _) => GuardedAsync(cancellation, () => Task.FromResult(Remove(ValidId(result.GetValue(removedId)!), PluginDirectories(result.GetValue(PluginDirectory))))));

        var plugins = new Command("plugins", "Manages the plugin folders without starting the host.") { install, list, remove };
        return new RootCommand("Courier for .NET") { plugins };
    }

    /// <summary>Runs a command's work, turning the failures a user can act on into one line on stderr and exit code 1.</summary>
    private static async Task<int> GuardedAsync(CancellationTokenSource cancellation, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"plugins: stopped (cancelled, or over the {PluginInstallLimits.Default.Timeout.TotalMinutes} minute deadline).").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException or FatalProtocolException or PackagingException)
        {
            await Console.Error.WriteLineAsync($"plugins: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string ValidId(string id) =>
        PackageIdValidator.IsValidPackageId(id) ? id : throw new ArgumentException($"\"{id}\" is not a valid package id.");

    private static List<string> PluginDirectories(string[]? given)
    {
        if (given is { Length: > 0 })
        {
            return [.. given.Select(d => Path.GetFullPath(d))];
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var configured = configuration.GetSection("Courier:PluginDirectories").Get<string[]>() is { Length: > 0 } list ? list : PluginFolderLoader.DefaultDirectories;
        return [.. configured.Select(d => Path.GetFullPath(d, AppContext.BaseDirectory))];
    }

    private static void List(List<string> directories)
    {
        foreach (var directory in directories.Where(Directory.Exists))
        {
            foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                var manifest = PluginInstallManifest.TryRead(folder);
                var version = manifest?.Version
                    ?? (File.Exists(Path.Combine(folder, name + ".dll")) ? FileVersionInfo.GetVersionInfo(Path.Combine(folder, name + ".dll")).ProductVersion : null)
                    ?? "?";
                var origin = manifest is null ? "copied in" : $"installed from {manifest.Source}";
                Console.WriteLine($"{name}\t{version}\t{folder}\t{origin}");
            }
        }
    }

    private static int Remove(string packageId, List<string> directories)
    {
        var folder = directories.Select(d => Path.Combine(d, packageId)).FirstOrDefault(Directory.Exists);
        if (folder is null)
        {
            Console.Error.WriteLine($"plugins: no plugin {packageId} in {string.Join(", ", directories)}.");
            return 1;
        }

        Directory.Delete(folder, recursive: true);
        Console.WriteLine($"Removed {packageId} from {folder}.");
        return 0;
    }
}
