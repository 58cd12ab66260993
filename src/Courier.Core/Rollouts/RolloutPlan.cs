namespace Courier.Core.Rollouts;

/// <summary>A size in a rollout: a count of targets, or a percent of all of them (rounded up).</summary>
/// <param name="Count">The count, or null for a percent.</param>
/// <param name="Percent">The percent (above 0, at most 100), or null for a count.</param>
internal sealed record RolloutSize(int? Count, double? Percent)
{
    /// <summary>How many of <paramref name="total"/> targets this is (a count is capped at the total).</summary>
    public int Of(int total) => Count is { } count ? Math.Min(count, total) : (int)Math.Ceiling(total * Percent!.Value / 100 - 1e-9);

    public override string ToString() => Count is { } count ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Percent}%";
}

/// <summary>The health gate after each wave: an HTTP answer, or a command run on the target over ssh.</summary>
/// <param name="Url">The URL template, with <c>{host}</c> for the target's host; null for a command gate.</param>
/// <param name="Expect">The HTTP status expected.</param>
/// <param name="Command">The command, as an argument list; null for an HTTP gate.</param>
/// <param name="Timeout">The deadline of one attempt.</param>
/// <param name="Attempts">How many attempts before the target fails its gate.</param>
internal sealed record HealthGate(string? Url, int Expect, IReadOnlyList<string>? Command, TimeSpan Timeout, int Attempts);

/// <summary>A source entry's <c>"rollout"</c>: cumulative waves over all its targets, the failures allowed, a pause and a health gate.</summary>
/// <param name="Waves">Cumulative sizes; the first is the canary, the last is 100%.</param>
/// <param name="MaxFailures">When the failures so far pass this, the rollout stops and rolls back.</param>
/// <param name="Pause">The wait after a wave's gate passes, before the next wave.</param>
/// <param name="Health">The gate, or null (then a wave passes when its deliveries do, and agents are still asked for their status).</param>
internal sealed record RolloutPlan(IReadOnlyList<RolloutSize> Waves, RolloutSize MaxFailures, TimeSpan Pause, HealthGate? Health)
{
    /// <summary>The index after the last target of each wave, over <paramref name="total"/> targets: empty waves are dropped.</summary>
    public IReadOnlyList<int> WaveEnds(int total)
    {
        var ends = new List<int>();
        foreach (var wave in Waves)
        {
            var end = Math.Max(wave.Of(total), ends.Count == 0 ? 0 : ends[^1]);
            if (end > (ends.Count == 0 ? 0 : ends[^1]))
            {
                ends.Add(end);
            }
        }

        return ends;
    }
}
