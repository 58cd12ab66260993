using Courier.Core.Configuration;

namespace Courier.Core.Rollouts;

/// <summary>Which configured sources an operator names (<c>POST /hold</c>, <c>/release</c>): by id, or by destination path.</summary>
internal static class SourceSelection
{
    /// <summary>
    /// The source whose id is <paramref name="idOrPath"/>; when none has that id, every source whose entry's
    /// destination path (<see cref="LoadedSources.DestinationPathOf"/>) is it (<c>app</c>, <c>/app/</c> and
    /// <c>app/</c> alike). Each id once; none when nothing matches.
    /// </summary>
    public static IReadOnlyList<ISource> Select(LoadedSources loaded, string idOrPath)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(idOrPath);
        var byId = loaded.Sources.Where(source => string.Equals(source.Id, idOrPath, StringComparison.Ordinal)).Take(1).ToList();
        if (byId.Count > 0)
        {
            return byId;
        }

        var path = string.Join('/', idOrPath.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return path.Length == 0
            ? []
            : [.. loaded.Sources.Where(source => string.Equals(loaded.DestinationPathOf(source), path, StringComparison.Ordinal)).DistinctBy(source => source.Id, StringComparer.Ordinal)];
    }
}
