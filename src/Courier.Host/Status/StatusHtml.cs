using System.Globalization;
using System.Text.Encodings.Web;
using Courier.Core.History;

namespace Courier.Host.Status;

/// <summary>The status page's small pieces of markup: encoded text, a revision, a report link, an age.</summary>
internal static class StatusHtml
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Encode(string text) => Html.Encode(text);

    public static string Revision(string? revision) =>
        revision is null ? string.Empty : $"<code title=\"{Html.Encode(revision)}\">{Html.Encode(revision.Length > 12 ? revision[..12] : revision)}</code>";

    public static string ReportLink(string update) =>
        UpdateIds.IsValid(update) ? $"<a href=\"/reports/{update}\">report</a>" : string.Empty;

    /// <summary>A destination and its target, the target's name left out when the whole destination failed (it is the alias then).</summary>
    public static string Target(TargetStatus target) =>
        target.Target == target.Destination ? Html.Encode(target.Destination) : $"{Html.Encode(target.Destination)}<br><small>{Html.Encode(target.Target)}</small>";

    public static string Age(DateTimeOffset at, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"<time datetime=\"{at.UtcDateTime:O}\" title=\"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\">{AgeText(at, now)}</time>");

    public static string AgeText(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)age.TotalSeconds)} s ago")
            : age.TotalMinutes < 60 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min ago")
            : age.TotalHours < 48 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h ago")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d ago");
    }
}
