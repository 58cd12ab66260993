using System.Diagnostics.Metrics;

namespace Courier.Core.Diagnostics;

/// <summary>
/// The one <c>Courier</c> meter (<see cref="CourierTelemetry.Name"/>) of a service provider, made by its
/// <see cref="IMeterFactory"/>, which disposes it with the provider: every Courier instrument is created on it.
/// </summary>
internal sealed class CourierMeter(IMeterFactory factory)
{
    public Meter Meter { get; } = (factory ?? throw new ArgumentNullException(nameof(factory))).Create(CourierTelemetry.Name);
}
