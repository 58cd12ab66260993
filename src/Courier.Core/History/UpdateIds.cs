using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Courier.Core.History;

/// <summary>
/// Update ids: the start time and a random part (<c>20260101T120000123Z-1a2b3c4d</c>), so they sort by time and a
/// valid one is only letters, digits and a dash: it never names a path outside the report store.
/// </summary>
public static partial class UpdateIds
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff'Z'";

    /// <summary>A new id for an update started at <paramref name="startedAt"/>.</summary>
    public static string New(DateTimeOffset startedAt) =>
        $"{startedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Whether <paramref name="id"/> has the form of an update id.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>When the update of <paramref name="id"/> started, as its id says; null when it is not an update id.</summary>
    public static DateTimeOffset? StartedAt(string? id) =>
        id is not null && IsValid(id) && DateTimeOffset.TryParseExact(id[..id.IndexOf('-', StringComparison.Ordinal)], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
