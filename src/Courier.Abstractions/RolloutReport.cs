namespace Courier;

/// <summary>How a source's rollout went: its waves, where it stopped and why, and what was rolled back.</summary>
/// <param name="Outcome"><c>completed</c> (every wave delivered and passed its gate), <c>stopped</c> (failures passed <c>max_failures</c>) or <c>fenced</c> (a target was changed by a newer run of the source: this run is stale).</param>
/// <param name="Waves">The waves delivered, in order.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults.</remarks>
public sealed record RolloutReport(string Outcome, IReadOnlyList<WaveReport> Waves)
{
    /// <summary>The outcome of a rollout that delivered every wave.</summary>
    public const string Completed = "completed";

    /// <summary>The outcome of a rollout that stopped.</summary>
    public const string Stopped = "stopped";

    /// <summary>
    /// The outcome of a rollout that a target refused because a newer run of the source (another cluster member)
    /// changed it: no further wave, nothing rolled back and no hold, since the newer run owns the targets now.
    /// </summary>
    public const string Fenced = "fenced";

    /// <summary>How many targets the rollout was planned over.</summary>
    public int Targets { get; init; }

    /// <summary>The wave (from 1) after which the rollout stopped; null when it completed.</summary>
    public int? StoppedAtWave { get; init; }

    /// <summary>Why it stopped; null when it completed.</summary>
    public string? Reason { get; init; }

    /// <summary>The revision the switched targets were rolled back to; null when nothing was rolled back.</summary>
    public string? RolledBackTo { get; init; }

    /// <summary>Each target switched during the rollout and sent back, with whether that worked.</summary>
    public IReadOnlyList<RollbackResult> RolledBack { get; init; } = [];
}

/// <summary>One wave of a rollout.</summary>
/// <param name="Wave">Its number, from 1 (the canary).</param>
/// <param name="Targets">The targets delivered to in it.</param>
/// <param name="Failures">Its targets that failed: their delivery or their health gate.</param>
/// <param name="Duration">From its first delivery to the end of its gate.</param>
public sealed record WaveReport(int Wave, IReadOnlyList<string> Targets, IReadOnlyList<TargetFailure> Failures, TimeSpan Duration);

/// <summary>A target that failed its wave.</summary>
/// <param name="Target">The target.</param>
/// <param name="Reason">Its delivery's error, or its health gate's answer.</param>
public sealed record TargetFailure(string Target, string Reason);

/// <summary>A target sent back to the release it had before the rollout.</summary>
/// <param name="Target">The target.</param>
/// <param name="Succeeded">Whether it holds that release again.</param>
/// <param name="Error">Why not; null on success.</param>
public sealed record RollbackResult(string Target, bool Succeeded, string? Error);
