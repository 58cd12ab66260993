using System.Globalization;
using System.Text.Json;

namespace Courier;

/// <summary>
/// One JSON object of a Hermes configuration file, with where it came from, and readers that turn wrong
/// field types into <see cref="CourierConfigurationException"/>s naming the file, the entry and the field.
/// </summary>
public abstract class ConfigEntry
{
    /// <summary>Creates an entry.</summary>
    protected ConfigEntry(JsonElement json, string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new CourierConfigurationException($"{filePath}: expected a JSON object, found {Describe(json.ValueKind)}.");
        }

        Json = json;
        FilePath = filePath;
    }

    /// <summary>The entry itself.</summary>
    public JsonElement Json { get; }

    /// <summary>The absolute path of the file that holds the entry.</summary>
    public string FilePath { get; }

    /// <summary>The directory of <see cref="FilePath"/>: relative paths in the entry are relative to it.</summary>
    public string ConfigDirectory => Path.GetDirectoryName(FilePath) ?? ".";

    /// <summary>How this entry is named in error messages.</summary>
    public abstract string Location { get; }

    /// <summary>The entry's <c>"type"</c>.</summary>
    public string Type => GetRequiredString("type");

    /// <summary>Makes an error that names this entry.</summary>
    public CourierConfigurationException Error(string message) => new($"{Location}: {message}");

    /// <summary>Resolves a path given in the entry against <see cref="ConfigDirectory"/>.</summary>
    public string ResolvePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetFullPath(Path.Combine(ConfigDirectory, path));
    }

    /// <summary>A string field, or <see langword="null"/> when absent.</summary>
    public string? GetString(string name) => GetString(Json, name, Location);

    /// <summary>A string field that must be present and non-empty.</summary>
    public string GetRequiredString(string name) =>
        GetString(name) is { Length: > 0 } value ? value : throw Error($"\"{name}\" is required and must be a non-empty string.");

    /// <summary>
    /// A relative path field (a subdirectory, a destination path), normalised to its parts joined by <c>/</c>, or
    /// <see langword="null"/> when absent. An absolute path, a <c>.</c> or <c>..</c> part, a backslash or a control
    /// character is an error: such a path could climb out of the directory it is meant to stay in.
    /// </summary>
    public string? GetRelativePath(string name)
    {
        if (GetString(name) is not { } value)
        {
            return null;
        }

        var segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (value.StartsWith('/') || segments.Length == 0 || segments.Any(s => s is "." or "..") || value.Any(char.IsControl) || value.Contains('\\', StringComparison.Ordinal))
        {
            throw Error($"\"{name}\" must be a relative path (no \"..\", not absolute), got \"{value}\".");
        }

        return string.Join('/', segments);
    }

    /// <summary>A boolean field, or <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBoolean(string name, bool defaultValue) => GetBoolean(Json, name, defaultValue, Location);

    /// <summary>A list of non-empty strings, or an empty list when absent.</summary>
    public IReadOnlyList<string> GetStringList(string name)
    {
        if (!Json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error($"\"{name}\" must be a list of strings, found {Describe(value.ValueKind)}.");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw Error($"\"{name}\" must be a list of non-empty strings, found {Describe(item.ValueKind)} in it.");
            }

            items.Add(item.GetString()!);
        }

        return items;
    }

    /// <summary>A nested object field, or <see langword="null"/> when absent.</summary>
    public JsonElement? GetObject(string name)
    {
        if (!Json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Error($"\"{name}\" must be an object, found {Describe(value.ValueKind)}.");
    }

    /// <summary>A TCP port given as a number or a string (both appear in real configurations), or <paramref name="defaultValue"/>.</summary>
    public int GetPort(JsonElement owner, string name, int defaultValue)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        int port;
        var valid = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out port),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out port),
            _ => (port = 0) == 1,
        };
        return valid && port is >= 1 and <= 65535 ? port : throw Error($"\"{name}\" must be a port number from 1 to 65535, found {value.GetRawText()}.");
    }

    /// <summary>A string field of a nested object.</summary>
    public string? GetString(JsonElement owner, string name) => GetString(owner, name, Location);

    /// <summary>A boolean field of a nested object.</summary>
    public bool GetBoolean(JsonElement owner, string name, bool defaultValue) => GetBoolean(owner, name, defaultValue, Location);

    /// <summary>Describes a JSON value kind for people.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string? GetString(JsonElement owner, string name, string location)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new CourierConfigurationException($"{location}: \"{name}\" must be a string, found {Describe(value.ValueKind)}.");
    }

    private static bool GetBoolean(JsonElement owner, string name, bool defaultValue, string location)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new CourierConfigurationException($"{location}: \"{name}\" must be true or false, found {value.GetRawText()}."),
        };
    }
}

/// <summary>One source object of a <c>sources/*.json</c> file.</summary>
public sealed class SourceDefinition : ConfigEntry
{
    /// <summary>Creates a definition for entry <paramref name="index"/> (zero-based) of <paramref name="filePath"/>.</summary>
    public SourceDefinition(JsonElement json, string filePath, int index)
        : base(json, filePath)
    {
        Index = index;
    }

    /// <summary>The zero-based position of the entry in its file.</summary>
    public int Index { get; }

    /// <inheritdoc />
    public override string Location => $"{FilePath} entry #{Index + 1}";
}

/// <summary>One destination object of <c>destinations.json</c> (an alias may hold a list of them).</summary>
public sealed class DestinationDefinition : ConfigEntry
{
    /// <summary>Creates a definition of <paramref name="alias"/>.</summary>
    public DestinationDefinition(string alias, JsonElement json, string filePath, SshLogin defaultSshLogin)
        : base(json, filePath)
    {
        ArgumentNullException.ThrowIfNull(alias);
        ArgumentNullException.ThrowIfNull(defaultSshLogin);
        Alias = alias;
        DefaultSshLogin = defaultSshLogin;
    }

    /// <summary>The alias (key of <c>destinations.json</c>).</summary>
    public string Alias { get; }

    /// <summary>The SSH login used when the entry has no <c>"ssh"</c> object: user <c>docker</c>, key <c>keys/docker@armada.key</c>, sudo.</summary>
    public SshLogin DefaultSshLogin { get; }

    /// <inheritdoc />
    public override string Location => $"{FilePath} destination \"{Alias}\"";

    /// <summary>
    /// The SSH login for rsync: the optional <c>"ssh"</c> object (<c>user</c>, <c>key</c> relative to this file,
    /// <c>sudo</c>, <c>known_hosts</c> relative to this file) over <see cref="DefaultSshLogin"/>.
    /// </summary>
    public SshLogin ReadSshLogin()
    {
        if (GetObject("ssh") is not { } ssh)
        {
            return DefaultSshLogin;
        }

        var key = GetString(ssh, "key");
        var knownHosts = GetString(ssh, "known_hosts");
        if (knownHosts is not null && (knownHosts.Length == 0 || knownHosts.Any(char.IsWhiteSpace)))
        {
            throw Error("\"ssh\".\"known_hosts\" must name a file (relative to this file) without spaces.");
        }

        return new SshLogin(
            GetString(ssh, "user") ?? DefaultSshLogin.User,
            key is null ? DefaultSshLogin.KeyPath : ResolvePath(key),
            GetBoolean(ssh, "sudo", DefaultSshLogin.Sudo))
        {
            KnownHostsFile = knownHosts is null ? DefaultSshLogin.KnownHostsFile : ResolvePath(knownHosts),
        };
    }
}
