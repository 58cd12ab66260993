using System.Text.Json;

namespace Courier;

/// <summary>
/// A source that can tell cheaply whether it changed, so that Courier may poll it (a fallback for a missed web
/// hook). The engine asks <see cref="GetRemoteRevisionAsync"/> every <see cref="PollInterval"/>; when the answer
/// differs from the revision last delivered, it queues an update with <see cref="PollTrigger"/>.
/// </summary>
public interface IPolledSource : ISource
{
    /// <summary>How often to check; null: the host's default for the source's type (which may be never).</summary>
    TimeSpan? PollInterval { get; }

    /// <summary>The trigger that updates this source (a git source: a push of its repository and branch).</summary>
    UpdateTrigger PollTrigger { get; }

    /// <summary>
    /// The revision a pull would get now (a branch's head commit), found with one cheap remote check and without
    /// changing what was delivered; null when it cannot be told (then an update is queued). Throws on failure.
    /// </summary>
    Task<string?> GetRemoteRevisionAsync(CancellationToken cancellationToken);
}

/// <summary>Reading and checking poll intervals, the same way for every source type and the host's defaults.</summary>
public static class PollIntervals
{
    /// <summary>The shortest interval accepted.</summary>
    public static TimeSpan Minimum { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest interval accepted.</summary>
    public static TimeSpan Maximum { get; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Reads the field <paramref name="name"/> of <paramref name="entry"/>: a number of seconds (<c>300</c>) or a
    /// time span (<c>"00:05:00"</c>) from <see cref="Minimum"/> to <see cref="Maximum"/>; null when absent.
    /// </summary>
    public static TimeSpan? Read(ConfigEntry entry, string name = "poll_interval")
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.Json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (JsonDurations.Read(value, Maximum) is not { } found || found < Minimum || found > Maximum)
        {
            throw entry.Error($"\"{name}\" must be a number of seconds (300) or a time span (\"00:05:00\") from {Minimum} to {Maximum}, found {value.GetRawText()}.");
        }

        return found;
    }
}
