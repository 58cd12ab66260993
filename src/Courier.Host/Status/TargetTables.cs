using System.Globalization;
using System.Text;
using Courier.Core.History;
using static Courier.Host.Status.StatusHtml;

namespace Courier.Host.Status;

/// <summary>
/// A source's targets as tables with fixed columns, one row per target (never a column per target): the failing
/// ones in plain sight, the healthy ones folded in a <c>&lt;details&gt;</c>.
/// </summary>
internal static class TargetTables
{
    public static void AppendFailing(StringBuilder page, IReadOnlyList<TargetStatus> failing, DateTimeOffset now)
    {
        if (failing.Count == 0)
        {
            return;
        }

        var caption = failing.All(t => !t.Ok) ? $"{failing.Count} failing" : $"{failing.Count} failing or rolled back";
        page.Append(CultureInfo.InvariantCulture, $"<table class=\"targets\">\n<caption>{caption}</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Target</th><th scope=\"col\">Last delivery</th><th scope=\"col\">Holds</th></tr></thead>\n<tbody>\n");
        foreach (var target in failing)
        {
            page.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\" data-label=\"Target\">{Target(target)}</th>");
            if (target.Ok && target.LastSuccess is { } rollback)
            {
                // Delivered, then sent back by its rollout: the rollback is its last delivery.
                page.Append(CultureInfo.InvariantCulture, $"<td class=\"failing\" data-label=\"Last delivery\"><strong>rolled back</strong> {Age(rollback.At, now)} {ReportLink(rollback.Update)}</td>");
            }
            else
            {
                var failure = target.LastFailure!;
                page.Append(CultureInfo.InvariantCulture, $"<td class=\"failing\" data-label=\"Last delivery\"><strong>error</strong> {Age(failure.At, now)}: <span class=\"message\">{Encode(failure.Error ?? "failed")}</span> {ReportLink(failure.Update)}</td>");
            }

            page
                .Append(CultureInfo.InvariantCulture, $"<td data-label=\"Holds\">{Holds(target, now)} {(target.LastSuccess is { } success ? ReportLink(success.Update) : string.Empty)}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n");
    }

    public static void AppendHealthy(StringBuilder page, IReadOnlyList<TargetStatus> healthy, DateTimeOffset now)
    {
        if (healthy.Count == 0)
        {
            return;
        }

        page.Append(CultureInfo.InvariantCulture, $"<details>\n<summary>{healthy.Count} healthy {(healthy.Count == 1 ? "target" : "targets")}</summary>\n")
            .Append("<table class=\"targets\">\n<thead><tr><th scope=\"col\">Target</th><th scope=\"col\">Holds</th></tr></thead>\n<tbody>\n");
        foreach (var target in healthy)
        {
            var success = target.LastSuccess!;
            page.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\" data-label=\"Target\">{Target(target)}</th>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"ok\" data-label=\"Holds\"><strong>ok</strong> {Holds(target, now)} {ReportLink(success.Update)}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</details>\n");
    }

    private static string Holds(TargetStatus target, DateTimeOffset now)
    {
        var (revision, since) = RevisionSummary.Held(target);
        if (revision is null)
        {
            return "<small>no known revision</small>";
        }

        var held = since is { } at ? $"{Revision(revision)} since {Age(at, now)}" : Revision(revision);
        return target.LastSuccess?.Member is { } member ? $"{held} <small>by {Encode(member)}</small>" : held;
    }
}
