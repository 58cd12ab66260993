using System.Text;
using Courier.Core.History;
using static Courier.Host.Status.StatusHtml;

namespace Courier.Host.Status;

/// <summary>How many targets of a source hold which revision: "198 on 4f2a9c1 since 2 h ago · 2 on 0b77e3d since 3 d ago".</summary>
internal static class RevisionSummary
{
    /// <summary>The revision a target holds and since when; the last success's when the target's was never read.</summary>
    public static (string? Revision, DateTimeOffset? Since) Held(TargetStatus target) =>
        (target.Revision ?? target.LastSuccess?.Revision, target.RevisionSince ?? target.LastSuccess?.At);

    public static void Append(StringBuilder page, IReadOnlyList<TargetStatus> targets, DateTimeOffset now)
    {
        if (targets.Count == 0)
        {
            page.Append("<p class=\"revisions\">No delivery yet.</p>\n");
            return;
        }

        // The most held revision first; of as many, the one that arrived last.
        var groups = targets.Select(Held)
            .GroupBy(held => held.Revision)
            .OrderBy(group => group.Key is null)
            .ThenByDescending(group => group.Count())
            .ThenByDescending(group => group.Max(held => held.Since))
            .Select(group => Group(group.Key, [.. group.Select(held => held.Since)], now));
        page.Append("<p class=\"revisions\"><strong>").Append(targets.Count).Append(targets.Count == 1 ? " target" : " targets")
            .Append(":</strong> ").AppendJoin(" · ", groups).Append("</p>\n");
    }

    private static string Group(string? revision, List<DateTimeOffset?> since, DateTimeOffset now)
    {
        if (revision is null)
        {
            return $"<span class=\"revision\">{since.Count} with no known revision</span>";
        }

        var known = since.OfType<DateTimeOffset>().ToList();
        var when = string.Empty;
        if (known.Count > 0)
        {
            var (first, last) = (known.Min(), known.Max());
            when = $" since {Age(first, now)}";
            if (AgeText(first, now) != AgeText(last, now))
            {
                when += $" (the last {Age(last, now)})";
            }
        }

        return $"<span class=\"revision\">{since.Count} on {Revision(revision)}{when}</span>";
    }
}
