namespace Courier.Core.Configuration;

/// <summary>The destinations of <c>destinations.json</c> by alias, with the aliases that could not be read.</summary>
/// <param name="FilePath">The file read, or <see langword="null"/> when none was found.</param>
/// <param name="Destinations">The destinations by alias (an alias holding a list fans out).</param>
/// <param name="Errors">Why an alias (or the whole file, under the key <c>""</c>) could not be read.</param>
internal sealed record LoadedDestinations(string? FilePath, IReadOnlyDictionary<string, IReadOnlyList<IDestination>> Destinations, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>The <c>"publish"</c>, <c>"keep_releases"</c> and <c>"verify"</c> of the entry each destination came from, by destination object.</summary>
    public IReadOnlyDictionary<IDestination, PublishOptions> Publishing { get; init; } = new Dictionary<IDestination, PublishOptions>();

    /// <summary>How <paramref name="destination"/> publishes; in place for one not loaded here.</summary>
    public PublishOptions PublishingOf(IDestination destination) => Publishing.TryGetValue(destination, out var publish) ? publish : PublishOptions.InPlace;

    /// <summary>Why <paramref name="alias"/> of <paramref name="source"/> cannot be served: the file's error, the alias's, or its absence; null when it can.</summary>
    public string? ErrorOf(ISource source, string alias) =>
        Errors.GetValueOrDefault(string.Empty) ?? Errors.GetValueOrDefault(alias) ?? (Destinations.ContainsKey(alias)
            ? null
            : $"destination alias \"{alias}\" of source {source.Id} is not defined in {FilePath ?? "destinations.json (no such file on CONFIG_PATH)"}.");
}
