using Microsoft.Extensions.Options;

namespace Courier.Core.Configuration;

/// <summary>
/// Hermes' lookup of configuration keys: <c>CONFIG_PATH</c> is a list of directories separated by <c>:</c>;
/// a key (<c>sources</c>, <c>destinations.json</c>, <c>keys/docker@armada.key</c>) resolves to the first directory
/// where it exists.
/// </summary>
internal sealed class HermesSearchPath(IOptions<CourierOptions> options)
{
    /// <summary>The directories searched, in order.</summary>
    public IReadOnlyList<string> Directories => Parse(options.Value.ConfigPath);

    /// <summary>The directories of a <c>CONFIG_PATH</c> value, in order, as full paths.</summary>
    public static IReadOnlyList<string> Parse(string? configPath) =>
        (configPath ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath)
            .ToArray();

    /// <summary>The full path of the first existing <paramref name="key"/>, or <see langword="null"/>.</summary>
    public string? Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Path.IsPathRooted(key))
        {
            return Path.Exists(key) ? key : null;
        }

        return Directories.Select(directory => Path.Combine(directory, key)).FirstOrDefault(Path.Exists);
    }

    /// <summary>
    /// Resolves a key file path: absolute as given, else the first match on the search path, else the path below
    /// the first search directory (so a later error names where the key was expected).
    /// </summary>
    public string? ResolveKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        return Find(key) ?? (Path.IsPathRooted(key) || Directories.Count == 0 ? Path.GetFullPath(key) : Path.Combine(Directories[0], key));
    }

    /// <summary>Describes the search path for error messages.</summary>
    public string Describe() => Directories.Count == 0 ? "CONFIG_PATH is not set" : $"CONFIG_PATH={string.Join(Path.PathSeparator, Directories)}";
}
