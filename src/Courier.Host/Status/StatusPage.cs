using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Courier.Core.History;

namespace Courier.Host.Status;

/// <summary>
/// The status page for people: plain server-rendered HTML, one row per source and one cell per target, that
/// refreshes itself, stacks on a phone and stays a plain table in a terminal browser.
/// </summary>
internal static class StatusPage
{
    public const int RefreshSeconds = 15;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Render(CourierStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var columns = status.Sources.SelectMany(s => s.Targets).Select(t => (t.Destination, t.Target)).Distinct().Order().ToList();
        var page = new StringBuilder(4096);
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="{RefreshSeconds}">
            <title>Courier status</title>
            <style>{StatusPageStyle.Css}</style>
            </head>
            <body>
            <header><h1>Courier status</h1>
            <p>As of <time datetime="{status.GeneratedAt.UtcDateTime:O}">{status.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</time>; this page refreshes every {RefreshSeconds} s. <a href="/reports">All reports</a> (JSON).</p>
            </header>
            <main>

            """);
        if (status.Sources.Count == 0)
        {
            page.Append("<p>No update has run yet.</p>\n");
        }
        else
        {
            page.Append("<div class=\"scroll\"><table>\n<caption>Last pull of each source and last delivery to each target</caption>\n<thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Pulled</th>");
            foreach (var (destination, target) in columns)
            {
                page.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{Html.Encode(destination)}<br><small>{Html.Encode(target)}</small></th>");
            }

            page.Append("</tr></thead>\n<tbody>\n");
            foreach (var source in status.Sources)
            {
                AppendRow(page, source, columns, status.GeneratedAt);
            }

            page.Append("</tbody>\n</table></div>\n");
        }

        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static void AppendRow(StringBuilder page, SourceStatus source, List<(string Destination, string Target)> columns, DateTimeOffset now)
    {
        page.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\" data-label=\"Source\">{Html.Encode(source.Source)}<br><small>{Html.Encode(source.Type)}</small></th>");
        if (source.PullError is not null)
        {
            var since = source.FailingSince is { } failing ? $" failing since {Age(failing, now)}" : string.Empty;
            page.Append(CultureInfo.InvariantCulture, $"<td class=\"failing\" data-label=\"Pulled\"><strong>error</strong>{since}: <span class=\"message\">{Html.Encode(source.PullError)}</span> {ReportLink(source.LastUpdate)}");
            if (source.Revision is not null)
            {
                page.Append(CultureInfo.InvariantCulture, $"<br><small>last pulled {Revision(source.Revision)} {Age(source.PulledAt!.Value, now)}</small>");
            }

            page.Append("</td>");
        }
        else if (source.Validation is { Passed: false } failed)
        {
            AppendFailedValidation(page, source, failed, now);
        }
        else
        {
            var validated = source.Validation is { } passed ? $"<br><small>validated: {Html.Encode(passed.Check)}</small>" : string.Empty;
            page.Append(CultureInfo.InvariantCulture, $"<td class=\"ok\" data-label=\"Pulled\"><strong>ok</strong> {Revision(source.Revision)} {(source.PulledAt is { } pulled ? Age(pulled, now) : string.Empty)}{validated}</td>");
        }

        foreach (var (destination, target) in columns)
        {
            var label = Html.Encode($"{destination} {target}");
            var cell = source.Targets.FirstOrDefault(t => t.Destination == destination && t.Target == target);
            if (cell is null)
            {
                page.Append(CultureInfo.InvariantCulture, $"<td class=\"none\" data-label=\"{label}\">-</td>");
            }
            else if (cell.Ok)
            {
                var success = cell.LastSuccess!;
                page.Append(CultureInfo.InvariantCulture, $"<td class=\"ok\" data-label=\"{label}\"><strong>ok</strong> {Revision(cell.Revision ?? success.Revision)} {Age(cell.RevisionSince ?? success.At, now)} {ReportLink(success.Update)}</td>");
            }
            else
            {
                var failure = cell.LastFailure!;
                page.Append(CultureInfo.InvariantCulture, $"<td class=\"failing\" data-label=\"{label}\"><strong>error</strong> {Age(failure.At, now)}: <span class=\"message\">{Html.Encode(failure.Error ?? "failed")}</span> {ReportLink(failure.Update)}");
                if (cell.LastSuccess is { } success)
                {
                    // With atomic publish the target was read: it holds its release, whatever the last delivery did.
                    page.Append(CultureInfo.InvariantCulture, $"<br><small>holds {Revision(cell.Revision ?? success.Revision)} {Age(cell.RevisionSince ?? success.At, now)} {ReportLink(success.Update)}</small>");
                }

                page.Append("</td>");
            }
        }

        page.Append("</tr>\n");
    }

    /// <summary>
    /// A pull whose validation failed: its own colour and words, apart from a failed delivery (a red target cell),
    /// since nothing was delivered and every target kept its revision.
    /// </summary>
    private static void AppendFailedValidation(StringBuilder page, SourceStatus source, ValidationReport failed, DateTimeOffset now)
    {
        var exit = failed.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $", exit code {code}") : string.Empty;
        page.Append(CultureInfo.InvariantCulture, $"<td class=\"invalid\" data-label=\"Pulled\"><strong>validation failed</strong> {Revision(source.Revision)} {(source.PulledAt is { } pulled ? Age(pulled, now) : string.Empty)}: check <code>{Html.Encode(failed.Check)}</code>{exit} {ReportLink(source.LastUpdate)}");
        if (!string.IsNullOrEmpty(failed.Output))
        {
            page.Append(CultureInfo.InvariantCulture, $"<pre class=\"message\">{Html.Encode(failed.Output)}</pre>");
        }

        page.Append("<small>nothing was delivered; every target keeps the revision it had</small></td>");
    }

    private static string Revision(string? revision) =>
        revision is null ? string.Empty : $"<code title=\"{Html.Encode(revision)}\">{Html.Encode(revision.Length > 12 ? revision[..12] : revision)}</code>";

    private static string ReportLink(string update) =>
        UpdateIds.IsValid(update) ? $"<a href=\"/reports/{update}\">report</a>" : string.Empty;

    private static string Age(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        var text = age.TotalSeconds < 60 ? $"{Math.Max(0, (int)age.TotalSeconds)} s ago"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
        return string.Create(CultureInfo.InvariantCulture, $"<time datetime=\"{at.UtcDateTime:O}\" title=\"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\">{text}</time>");
    }
}
