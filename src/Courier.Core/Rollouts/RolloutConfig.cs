using System.Globalization;
using System.Text.Json;

namespace Courier.Core.Rollouts;

/// <summary>
/// Reads a source entry's <c>"rollout"</c>: <c>{"waves": [1, "10%", "100%"], "max_failures": 0, "pause": "00:00:30",
/// "health": {"http": "http://{host}:8080/health", "expect": 200, "timeout": "00:00:05", "attempts": 3}}</c> (or
/// <c>"health": {"command": ["systemctl", "is-active", "nginx"], "timeout": 10}</c>). Every source type may have one.
/// </summary>
internal static class RolloutConfig
{
    public const string FieldName = "rollout";
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>The entry's rollout, or null when it has none (every target at once, as before).</summary>
    public static RolloutPlan? Read(SourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.GetObject(FieldName) is not { } rollout)
        {
            return null;
        }

        var waves = ReadWaves(definition, rollout);
        var maxFailures = rollout.TryGetProperty("max_failures", out var max) && max.ValueKind != JsonValueKind.Null
            ? ReadSize(definition, max, "\"rollout\".\"max_failures\"", allowZero: true)
            : new RolloutSize(0, null);
        var pause = rollout.TryGetProperty("pause", out var pauseValue) && pauseValue.ValueKind != JsonValueKind.Null
            ? Duration(definition, pauseValue, "\"rollout\".\"pause\"")
            : TimeSpan.Zero;
        var health = rollout.TryGetProperty("health", out var healthValue) && healthValue.ValueKind != JsonValueKind.Null
            ? ReadHealth(definition, healthValue)
            : null;
        return new RolloutPlan(waves, maxFailures, pause, health);
    }

    private static List<RolloutSize> ReadWaves(SourceDefinition definition, JsonElement rollout)
    {
        if (!rollout.TryGetProperty("waves", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw definition.Error("\"rollout\".\"waves\" must be a list of cumulative sizes, counts or percents, ending at \"100%\" (e.g. [1, \"10%\", \"100%\"]).");
        }

        var waves = value.EnumerateArray().Select(wave => ReadSize(definition, wave, "\"rollout\".\"waves\"", allowZero: false)).ToList();
        if (waves[^1].Percent != 100)
        {
            throw definition.Error($"\"rollout\".\"waves\" must end at \"100%\" (every target), ends at {waves[^1]}.");
        }

        for (var i = 1; i < waves.Count; i++)
        {
            var (before, after) = (waves[i - 1], waves[i]);
            if ((before.Count, after.Count) is ({ } a, { } b) && b < a || (before.Percent, after.Percent) is ({ } p, { } q) && q < p)
            {
                throw definition.Error($"\"rollout\".\"waves\" are cumulative and must not shrink: {before} is followed by {after}.");
            }
        }

        return waves;
    }

    private static RolloutSize ReadSize(SourceDefinition definition, JsonElement value, string field, bool allowZero)
    {
        var least = allowZero ? 0 : 1;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= least)
        {
            return new RolloutSize(count, null);
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && text.EndsWith('%') &&
            double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) &&
            (percent > 0 || (allowZero && percent == 0)))
        {
            return percent <= 100
                ? new RolloutSize(null, percent)
                : throw definition.Error($"{field}: {text} is over 100%.");
        }

        throw definition.Error($"{field} must be a whole number of targets (at least {least}) or a percent such as \"10%\", found {value.GetRawText()}.");
    }

    private static HealthGate ReadHealth(SourceDefinition definition, JsonElement health)
    {
        if (health.ValueKind != JsonValueKind.Object)
        {
            throw definition.Error("\"rollout\".\"health\" must be an object with \"http\" (a URL with {host}) or \"command\" (a list of strings).");
        }

        var timeout = health.TryGetProperty("timeout", out var t) && t.ValueKind != JsonValueKind.Null ? Duration(definition, t, "\"rollout\".\"health\".\"timeout\"") : TimeSpan.FromSeconds(5);
        var attempts = 3;
        if (health.TryGetProperty("attempts", out var a) && a.ValueKind != JsonValueKind.Null && (!a.TryGetInt32(out attempts) || attempts is < 1 or > 100))
        {
            throw definition.Error($"\"rollout\".\"health\".\"attempts\" must be a whole number from 1 to 100, found {a.GetRawText()}.");
        }

        var hasHttp = health.TryGetProperty("http", out var http) && http.ValueKind != JsonValueKind.Null;
        var hasCommand = health.TryGetProperty("command", out var command) && command.ValueKind != JsonValueKind.Null;
        if (hasHttp == hasCommand)
        {
            throw definition.Error("\"rollout\".\"health\" needs exactly one of \"http\" (a URL with {host}) and \"command\" (a list of strings).");
        }

        return hasHttp ? ReadHttp(definition, health, http, timeout, attempts) : new HealthGate(null, 0, ReadCommand(definition, command), timeout, attempts);
    }

    private static HealthGate ReadHttp(SourceDefinition definition, JsonElement health, JsonElement http, TimeSpan timeout, int attempts)
    {
        var url = http.ValueKind == JsonValueKind.String ? http.GetString()! : string.Empty;
        if (!Uri.TryCreate(url.Replace("{host}", "host.example", StringComparison.Ordinal), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw definition.Error($"\"rollout\".\"health\".\"http\" must be an absolute http:// or https:// URL (with {{host}} for the target's host), found {http.GetRawText()}.");
        }

        var expect = 200;
        if (health.TryGetProperty("expect", out var e) && e.ValueKind != JsonValueKind.Null && (!e.TryGetInt32(out expect) || expect is < 100 or > 599))
        {
            throw definition.Error($"\"rollout\".\"health\".\"expect\" must be an HTTP status from 100 to 599, found {e.GetRawText()}.");
        }

        return new HealthGate(url, expect, null, timeout, attempts);
    }

    private static List<string> ReadCommand(SourceDefinition definition, JsonElement command)
    {
        if (command.ValueKind != JsonValueKind.Array || command.GetArrayLength() == 0 ||
            command.EnumerateArray().Any(word => word.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(word.GetString())))
        {
            throw definition.Error($"\"rollout\".\"health\".\"command\" must be a list of strings, its program and arguments (never a shell string), found {command.GetRawText()}.");
        }

        return [.. command.EnumerateArray().Select(word => word.GetString()!)];
    }

    private static TimeSpan Duration(SourceDefinition definition, JsonElement value, string field) =>
        JsonDurations.Read(value, MaxDuration) is { } duration && duration >= TimeSpan.Zero
            ? duration
            : throw definition.Error($"{field} must be seconds or a time span such as \"00:00:30\" (at most a day), found {value.GetRawText()}.");
}
