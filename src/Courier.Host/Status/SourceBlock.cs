using System.Globalization;
using System.Text;
using Courier.Core.History;
using static Courier.Host.Status.StatusHtml;

namespace Courier.Host.Status;

/// <summary>
/// One source on the status page: its last pull, how many targets hold which revision, the targets that need
/// attention one per line, and the healthy rest folded away, so that it stays short with hundreds of targets.
/// </summary>
internal static class SourceBlock
{
    public static void Append(StringBuilder page, SourceStatus source, DateTimeOffset now)
    {
        page.Append(CultureInfo.InvariantCulture, $"<section class=\"source\">\n<h2>{Encode(source.Source)} <small>{Encode(source.Type)}</small></h2>\n");
        AppendPull(page, source, now);
        RevisionSummary.Append(page, source.Targets, now);
        AppendRollout(page, source);
        var attention = NeedingAttention(source);
        TargetTables.AppendFailing(page, attention, now);
        TargetTables.AppendHealthy(page, [.. source.Targets.Where(target => !attention.Contains(target))], now);
        page.Append("</section>\n");
    }

    /// <summary>
    /// The targets listed first, one per line with what went wrong: those whose last delivery failed, and those the
    /// last rollout sent back (their last delivery, the rollback, succeeded).
    /// </summary>
    private static List<TargetStatus> NeedingAttention(SourceStatus source)
    {
        var rolledBack = source.Rollout?.RolledBack.Select(r => r.Target).ToHashSet(StringComparer.Ordinal) ?? [];
        return [.. source.Targets.Where(target => !target.Ok || rolledBack.Any(name => target.Target.StartsWith(name, StringComparison.Ordinal) || name.StartsWith(target.Target, StringComparison.Ordinal)))];
    }

    /// <summary>Under the revision counts: how the last rollout went, its waves, where it stopped and why, and what went back.</summary>
    private static void AppendRollout(StringBuilder page, SourceStatus source)
    {
        if (source.Rollout is not { } rollout)
        {
            return;
        }

        var waves = string.Join(" → ", rollout.Waves.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Targets.Count}{(w.Failures.Count > 0 ? $" ({w.Failures.Count} failed)" : string.Empty)}")));
        if (rollout.Outcome == RolloutReport.Completed)
        {
            page.Append(CultureInfo.InvariantCulture, $"<div class=\"rollout ok\">rollout completed: {rollout.Waves.Count} waves ({Encode(waves)}) over {rollout.Targets} targets</div>\n");
            return;
        }

        var back = rollout.RolledBack.Count == 0
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"; {rollout.RolledBack.Count(r => r.Succeeded)} of {rollout.RolledBack.Count} switched targets rolled back to {Revision(rollout.RolledBackTo ?? "?")}");
        page.Append(CultureInfo.InvariantCulture, $"<div class=\"rollout failing\"><strong>rollout stopped</strong> after wave {rollout.StoppedAtWave} of {Encode(waves)}{back}: <span class=\"message\">{Encode(rollout.Reason ?? string.Empty)}</span></div>\n");
    }

    private static void AppendPull(StringBuilder page, SourceStatus source, DateTimeOffset now)
    {
        var pulled = source.PulledAt is { } at ? Age(at, now) : string.Empty;
        if (source.PullError is not null)
        {
            var since = source.FailingSince is { } failing ? $" since {Age(failing, now)}" : string.Empty;
            page.Append(CultureInfo.InvariantCulture, $"<div class=\"pull failing\"><strong>pull failed</strong>{since}: <span class=\"message\">{Encode(source.PullError)}</span> {ReportLink(source.LastUpdate)}");
            if (source.Revision is not null)
            {
                page.Append(CultureInfo.InvariantCulture, $"<br><small>last pulled {Revision(source.Revision)} {pulled}</small>");
            }

            page.Append("</div>\n");
        }
        else if (source.Validation is { Passed: false } failed)
        {
            AppendFailedValidation(page, source, failed, pulled);
        }
        else
        {
            var validated = source.Validation is { } passed ? $"; validated: <code>{Encode(passed.Check)}</code>" : string.Empty;
            page.Append(CultureInfo.InvariantCulture, $"<div class=\"pull ok\"><strong>ok</strong> pulled {Revision(source.Revision)} {pulled}{validated}</div>\n");
        }
    }

    /// <summary>
    /// A pull whose validation failed: its own colour and words, apart from a failed delivery (a red target line),
    /// since nothing was delivered and every target kept its revision.
    /// </summary>
    private static void AppendFailedValidation(StringBuilder page, SourceStatus source, ValidationReport failed, string pulled)
    {
        var exit = failed.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $", exit code {code}") : string.Empty;
        page.Append(CultureInfo.InvariantCulture, $"<div class=\"pull invalid\"><strong>validation failed</strong> {Revision(source.Revision)} {pulled}: check <code>{Encode(failed.Check)}</code>{exit} {ReportLink(source.LastUpdate)}");
        if (!string.IsNullOrEmpty(failed.Output))
        {
            page.Append(CultureInfo.InvariantCulture, $"<pre class=\"message\">{Encode(failed.Output)}</pre>");
        }

        page.Append("<small>nothing was delivered; every target keeps the revision it had</small></div>\n");
    }
}
