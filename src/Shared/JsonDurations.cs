using System.Globalization;
using System.Text.Json;

namespace Courier;

/// <summary>
/// A duration in a configuration entry: a number of seconds (<c>300</c>) or a time span (<c>"00:05:00"</c>). One source
/// file compiled into each assembly that reads one (linked from src/Shared).
/// </summary>
internal static class JsonDurations
{
    /// <summary>The duration <paramref name="value"/> holds, or null when it is neither form (or a number that is not finite or is above <paramref name="maximum"/>).</summary>
    public static TimeSpan? Read(JsonElement value, TimeSpan maximum) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var seconds) && double.IsFinite(seconds) && seconds <= maximum.TotalSeconds => TimeSpan.FromSeconds(seconds),
        JsonValueKind.String when TimeSpan.TryParseExact(value.GetString(), "c", CultureInfo.InvariantCulture, out var span) => span,
        _ => null,
    };
}
