namespace Courier.Core.History;

/// <summary>The few kinds of trigger, for metrics and filters (a report's trigger text names repositories and addresses).</summary>
internal static class TriggerKinds
{
    /// <summary>The kind of a report's trigger text: <c>all</c>, <c>git</c>, <c>hermes-directory</c>, <c>update_hermes</c>, <c>source</c> (one source by id: <c>/release</c>) or <c>other</c>.</summary>
    public static string Of(string trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return trigger switch
        {
            _ when trigger.StartsWith("update_hermes", StringComparison.Ordinal) => "update_hermes",
            _ when trigger.StartsWith("git push", StringComparison.Ordinal) => "git",
            _ when trigger.StartsWith("hermes directory", StringComparison.Ordinal) => "hermes-directory",
            _ when trigger.StartsWith("all sources", StringComparison.Ordinal) => "all",
            _ when trigger.StartsWith("source ", StringComparison.Ordinal) => "source",
            _ => "other",
        };
    }
}
