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
    private const string Usage = """
        Usage:
          Courier.Host plugins install <package-id> [--version <version or range>] [--source <feed URL or folder>]... [--plugin-directory <dir>]
          Courier.Host plugins list [--plugin-directory <dir>]
          Courier.Host plugins remove <package-id> [--plugin-directory <dir>]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancellation = new CancellationTokenSource(PluginInstallLimits.Default.Timeout);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        try
        {
            var (verb, packageId, options) = Parse(args);
            var directories = PluginDirectories(options);
            switch (verb)
            {
                case "install":
                    var manifest = await PluginInstaller.InstallAsync(
                        packageId!, options.GetValueOrDefault("--version")?.Single(), options.GetValueOrDefault("--source") ?? [], directories[0], PluginInstallLimits.Default, cancellation.Token).ConfigureAwait(false);
                    Console.WriteLine($"Installed {manifest.Id} {manifest.Version} into {Path.Combine(directories[0], manifest.Id)} (packages: {string.Join(", ", manifest.Packages)}).");
                    return 0;
                case "list":
                    List(directories);
                    return 0;
                default:
                    return Remove(packageId!, directories);
            }
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

    private static (string Verb, string? PackageId, Dictionary<string, List<string>> Options) Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--version" or "--source" or "--plugin-directory")
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
                }

                if (args[i] == "--version" && options.ContainsKey("--version"))
                {
                    throw new ArgumentException($"--version is given twice.\n{Usage}");
                }

                (options.TryGetValue(args[i], out var values) ? values : options[args[i]] = []).Add(args[++i]);
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return positional switch
        {
            ["list"] when !options.ContainsKey("--version") && !options.ContainsKey("--source") => ("list", null, options),
            ["remove", var id] when !options.ContainsKey("--version") && !options.ContainsKey("--source") => ("remove", ValidId(id), options),
            ["install", var id] => ("install", ValidId(id), options),
            _ => throw new ArgumentException(Usage),
        };
    }

    private static string ValidId(string id) =>
        PackageIdValidator.IsValidPackageId(id) ? id : throw new ArgumentException($"\"{id}\" is not a valid package id.");

    private static List<string> PluginDirectories(Dictionary<string, List<string>> options)
    {
        if (options.TryGetValue("--plugin-directory", out var given))
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
