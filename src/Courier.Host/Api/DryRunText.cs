using System.Text;

namespace Courier.Host.Api;

/// <summary>A dry run's report as text for people: per source and target, what a delivery would change.</summary>
internal static class DryRunText
{
    public static string Describe(UpdateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append("dry run: nothing was delivered (").Append(report.Trigger).Append(", update ").Append(report.Id).Append(")\n");
        foreach (var error in report.ConfigurationErrors)
        {
            text.Append("configuration error: ").Append(error).Append('\n');
        }

        if (report.Sources.Count == 0)
        {
            text.Append("no source matched.\n");
        }

        foreach (var source in report.Sources)
        {
            text.Append('\n').Append("source ").Append(source.Source).Append(" (").Append(source.Type).Append(") at ").Append(source.Revision ?? "(not pulled)").Append('\n');
            if (source.Held is { } held)
            {
                text.Append("  held since ").Append(held.Since.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append(held.Reason is null ? string.Empty : $": {held.Reason}").Append(" (an update delivers nothing until /release)\n");
            }

            if (source.Validation is { } validation)
            {
                text.Append("  validation: ").Append(validation.Passed ? "passed" : "FAILED").Append(" (").Append(validation.Check).Append(")\n");
            }

            if (source.Error is not null)
            {
                text.Append("  error: ").Append(source.Error).Append('\n');
            }

            foreach (var destination in source.Destinations)
            {
                text.Append("  destination ").Append(destination.Alias).Append(destination.Type is null ? string.Empty : $" ({destination.Type})").Append('\n');
                if (destination.Error is not null)
                {
                    text.Append("    error: ").Append(destination.Error).Append('\n');
                }

                foreach (var delivery in destination.Deliveries)
                {
                    Describe(text, source, delivery);
                }
            }
        }

        text.Append('\n').Append(report.Succeeded ? "ok" : "There were errors.").Append('\n');
        return text.ToString();
    }

    private static void Describe(StringBuilder text, SourceReport source, DeliveryResult delivery)
    {
        text.Append("    target ").Append(delivery.Target).Append('\n');
        text.Append("      revision: ").Append(delivery.CurrentRevision ?? "unknown").Append(" -> ").Append(source.Revision).Append('\n');
        if (delivery.Error is not null)
        {
            text.Append("      error: ").Append(delivery.Error).Append('\n');
        }

        if (delivery.Changes is { } changes)
        {
            if (changes.Created.Count + changes.Updated.Count + changes.Deleted.Count == 0)
            {
                text.Append("      no change\n");
            }

            foreach (var (verb, paths) in new[] { ("create", changes.Created), ("update", changes.Updated), ("delete", changes.Deleted) })
            {
                foreach (var path in paths)
                {
                    text.Append("      ").Append(verb).Append(' ').Append(path).Append('\n');
                }
            }
        }

        if (delivery.Note is not null)
        {
            text.Append("      note: ").Append(delivery.Note).Append('\n');
        }
    }
}
