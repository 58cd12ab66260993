namespace Courier.Core.Configuration;

/// <summary>The source and destination factories by configuration <c>"type"</c> (case-insensitive).</summary>
internal sealed class PluginCatalog
{
    private readonly Dictionary<string, ISourceFactory> _sources;
    private readonly Dictionary<string, IDestinationFactory> _destinations;

    /// <summary>Builds the catalog; two factories claiming one type is an error naming both.</summary>
    /// <exception cref="InvalidOperationException">Two plugins claim the same type.</exception>
    public PluginCatalog(IEnumerable<ISourceFactory> sources, IEnumerable<IDestinationFactory> destinations)
    {
        _sources = Index(sources, factory => factory.Type, "source");
        _destinations = Index(destinations, factory => factory.Type, "destination");
    }

    /// <summary>The known source types, sorted.</summary>
    public IReadOnlyList<string> SourceTypes => [.. _sources.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The known destination types, sorted.</summary>
    public IReadOnlyList<string> DestinationTypes => [.. _destinations.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The source factory for <paramref name="type"/>.</summary>
    public bool TryGetSourceFactory(string type, out ISourceFactory factory) => _sources.TryGetValue(type, out factory!);

    /// <summary>The destination factory for <paramref name="type"/>.</summary>
    public bool TryGetDestinationFactory(string type, out IDestinationFactory factory) => _destinations.TryGetValue(type, out factory!);

    private static Dictionary<string, T> Index<T>(IEnumerable<T> factories, Func<T, string> typeOf, string kind)
        where T : class
    {
        var index = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var factory in factories)
        {
            var type = typeOf(factory);
            if (string.IsNullOrWhiteSpace(type))
            {
                throw new InvalidOperationException($"The {kind} factory {Describe(factory)} declares no type.");
            }

            if (index.TryGetValue(type, out var existing))
            {
                if (existing.GetType() == factory.GetType())
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"Two plugins claim the {kind} type \"{type}\": {Describe(existing)} and {Describe(factory)}. Remove one of them from the plugin folders.");
            }

            index.Add(type, factory);
        }

        return index;
    }

    private static string Describe(object factory)
    {
        var type = factory.GetType();
        return $"{type.FullName} (plugin {type.Assembly.GetName().Name}, {type.Assembly.Location})";
    }
}
