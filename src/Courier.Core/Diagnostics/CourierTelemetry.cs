using System.Diagnostics;

namespace Courier.Core.Diagnostics;

/// <summary>
/// The names Courier's telemetry uses: one <see cref="System.Diagnostics.Metrics.Meter"/> (per service provider, made by
/// its <see cref="System.Diagnostics.Metrics.IMeterFactory"/>) and one <see cref="System.Diagnostics.ActivitySource"/>,
/// both named <c>Courier</c>. Export them with
/// <c>AddMeter(CourierTelemetry.Name)</c> and <c>AddSource(CourierTelemetry.Name)</c>.
/// </summary>
public static class CourierTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "Courier";

    /// <summary>Activities: one per update (<c>courier.update</c>), pull (<c>courier.pull</c>) and delivery (<c>courier.deliver</c>).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);
}
