using System.Text.Json;

namespace Courier.Core.Validation;

/// <summary>
/// Reads the <c>"validate"</c> field that every source entry may have, whatever its type (read here once, in the
/// engine, so no source plugin needs to know it). It is a list of checks, each one of:
/// <list type="bullet">
/// <item><c>"json"</c> or <c>"yaml"</c>: a built-in check;</item>
/// <item><c>["nginx", "-t", "-p", "{snapshot}"]</c>: a command, its program and then its arguments;</item>
/// <item><c>{"command": [...], "timeout": "00:00:10"}</c> or <c>{"builtin": "json", "timeout": 30}</c>: either, with a
/// deadline of its own (a time span, or a number of seconds) instead of <c>Courier:Timeouts:Validate</c>.</item>
/// </list>
/// Anything else is a configuration error of that entry alone.
/// </summary>
internal static class ValidationConfig
{
    public const string FieldName = "validate";

    /// <summary>The longest deadline a check may set for itself.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    private const string Forms = "\"json\", \"yaml\", a command as a list of strings ([\"nginx\", \"-t\"]), or an object {\"command\": [...]} or {\"builtin\": \"json\"} with an optional \"timeout\"";

    /// <summary>The entry's checks; <see cref="ValidationPlan.None"/> when it has no <c>"validate"</c>.</summary>
    public static ValidationPlan Read(SourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.Json.TryGetProperty(FieldName, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return ValidationPlan.None;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw definition.Error($"\"{FieldName}\" must be a list of checks (each {Forms}), found {ConfigEntry.Describe(value.ValueKind)}.");
        }

        var checks = new List<ValidationCheck>();
        foreach (var item in value.EnumerateArray())
        {
            checks.Add(ReadCheck(definition, item, checks.Count + 1));
        }

        return new ValidationPlan(checks);
    }

    private static ValidationCheck ReadCheck(SourceDefinition definition, JsonElement item, int number) => item.ValueKind switch
    {
        JsonValueKind.String => Builtin(definition, item.GetString()!, timeout: null, number),
        JsonValueKind.Array => Command(definition, item, timeout: null, number),
        JsonValueKind.Object => FromObject(definition, item, number),
        _ => throw definition.Error($"\"{FieldName}\" check #{number} must be {Forms}, found {ConfigEntry.Describe(item.ValueKind)}."),
    };

    private static ValidationCheck FromObject(SourceDefinition definition, JsonElement item, int number)
    {
        var unknown = item.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => name is not ("command" or "builtin" or "timeout"));
        if (unknown is not null)
        {
            throw definition.Error($"\"{FieldName}\" check #{number} has an unknown field \"{unknown}\"; a check object has \"command\" or \"builtin\", and optionally \"timeout\".");
        }

        var timeout = Timeout(definition, item, number);
        var hasCommand = item.TryGetProperty("command", out var command);
        var hasBuiltin = item.TryGetProperty("builtin", out var builtin);
        return (hasCommand, hasBuiltin) switch
        {
            (true, false) when command.ValueKind == JsonValueKind.Array => Command(definition, command, timeout, number),
            (true, false) => throw definition.Error($"\"{FieldName}\" check #{number}: \"command\" must be a list of strings (the program, then its arguments), found {ConfigEntry.Describe(command.ValueKind)}."),
            (false, true) when builtin.ValueKind == JsonValueKind.String => Builtin(definition, builtin.GetString()!, timeout, number),
            (false, true) => throw definition.Error($"\"{FieldName}\" check #{number}: \"builtin\" must be \"json\" or \"yaml\", found {ConfigEntry.Describe(builtin.ValueKind)}."),
            _ => throw definition.Error($"\"{FieldName}\" check #{number} must have exactly one of \"command\" and \"builtin\"."),
        };
    }

    private static ValidationCheck Builtin(SourceDefinition definition, string name, TimeSpan? timeout, int number)
    {
        if (string.Equals(name, JsonFilesCheck.CheckName, StringComparison.OrdinalIgnoreCase))
        {
            return new JsonFilesCheck(timeout);
        }

        if (string.Equals(name, YamlFilesCheck.CheckName, StringComparison.OrdinalIgnoreCase))
        {
            return new YamlFilesCheck(timeout);
        }

        var hint = name.Contains(' ', StringComparison.Ordinal) ? $"; a command is a list of its program and arguments: [\"{string.Join("\", \"", name.Split(' ', StringSplitOptions.RemoveEmptyEntries))}\"]" : string.Empty;
        throw definition.Error($"\"{FieldName}\" check #{number}: unknown built-in check \"{name}\". Known built-in checks: {JsonFilesCheck.CheckName}, {YamlFilesCheck.CheckName}{hint}.");
    }

    private static CommandCheck Command(SourceDefinition definition, JsonElement list, TimeSpan? timeout, int number)
    {
        var parts = new List<string>();
        foreach (var part in list.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.String)
            {
                throw definition.Error($"\"{FieldName}\" check #{number}: a command is a list of strings, found {ConfigEntry.Describe(part.ValueKind)} in it.");
            }

            var text = part.GetString()!;
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw definition.Error($"\"{FieldName}\" check #{number}: a command's arguments cannot contain a NUL character.");
            }

            parts.Add(text);
        }

        if (parts.Count == 0 || string.IsNullOrWhiteSpace(parts[0]))
        {
            throw definition.Error($"\"{FieldName}\" check #{number}: the command is empty; it needs at least its program ([\"nginx\", \"-t\"]).");
        }

        return new CommandCheck(parts, timeout);
    }

    private static TimeSpan? Timeout(SourceDefinition definition, JsonElement item, int number)
    {
        if (!item.TryGetProperty("timeout", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return JsonDurations.Read(value, MaxTimeout) is { } found && found > TimeSpan.Zero && found <= MaxTimeout
            ? found
            : throw definition.Error($"\"{FieldName}\" check #{number}: \"timeout\" must be a time span (\"00:00:10\") or a number of seconds, more than 0 and at most {MaxTimeout:c}, found {value.GetRawText()}.");
    }
}
