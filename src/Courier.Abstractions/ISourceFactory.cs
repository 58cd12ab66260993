namespace Courier;

/// <summary>Makes sources from the entries of <c>sources/*.json</c> whose <c>"type"</c> is <see cref="Type"/>.</summary>
public interface ISourceFactory
{
    /// <summary>The configuration <c>"type"</c> this factory handles (compared case-insensitively).</summary>
    string Type { get; }

    /// <summary>
    /// Turns one entry into one or more sources (a git entry with N repositories makes N sources).
    /// Throws <see cref="CourierConfigurationException"/> when the entry is wrong.
    /// </summary>
    IReadOnlyList<ISource> Create(SourceDefinition definition);
}
