using Courier.Core.Rollouts;
using Courier.Core.Validation;

namespace Courier.Core.Configuration;

/// <summary>The sources read from <c>sources/*</c>, with the entries that could not be read.</summary>
/// <param name="Sources">Every source that could be made.</param>
/// <param name="Errors">One message per file or entry skipped.</param>
internal sealed record LoadedSources(IReadOnlyList<ISource> Sources, IReadOnlyList<string> Errors)
{
    /// <summary>The <c>"validate"</c> checks of the entry each source came from, by source object.</summary>
    public IReadOnlyDictionary<ISource, ValidationPlan> Validations { get; init; } = new Dictionary<ISource, ValidationPlan>();

    /// <summary>The checks of <paramref name="source"/>'s entry; none for a source not loaded here.</summary>
    public ValidationPlan ValidationOf(ISource source) => Validations.TryGetValue(source, out var plan) ? plan : ValidationPlan.None;

    /// <summary>
    /// Where the sources of each entry land below a hermes path as the entry says it, by source object: its
    /// <c>"destination_path"</c>, else its <c>"subdirectory"</c> (where a hermes-directory source lands); absent when
    /// the entry names neither. A source's snapshot is what really names it, but only once pulled.
    /// </summary>
    public IReadOnlyDictionary<ISource, string> DestinationPaths { get; init; } = new Dictionary<ISource, string>();

    /// <summary>The destination path <paramref name="source"/>'s entry gives, or null.</summary>
    public string? DestinationPathOf(ISource source) => DestinationPaths.GetValueOrDefault(source);

    /// <summary>The <c>"rollout"</c> of the entry each source came from, by source object (sources without one are absent).</summary>
    public IReadOnlyDictionary<ISource, RolloutPlan> Rollouts { get; init; } = new Dictionary<ISource, RolloutPlan>();

    /// <summary>The rollout of <paramref name="source"/>'s entry, or null: every target at once.</summary>
    public RolloutPlan? RolloutOf(ISource source) => Rollouts.GetValueOrDefault(source);
}
