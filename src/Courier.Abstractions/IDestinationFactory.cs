namespace Courier;

/// <summary>Makes destinations from the entries of <c>destinations.json</c> whose <c>"type"</c> is <see cref="Type"/>.</summary>
public interface IDestinationFactory
{
    /// <summary>The configuration <c>"type"</c> this factory handles (compared case-insensitively).</summary>
    string Type { get; }

    /// <summary>Turns one entry into a destination; throws <see cref="CourierConfigurationException"/> when it is wrong.</summary>
    IDestination Create(DestinationDefinition definition);
}
