using System.Diagnostics.Metrics;
using Courier.Core.Diagnostics;
using Courier.Core.Updates;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Diagnostics;

/// <summary>
/// The engine's instruments hang on one <c>Courier</c> meter per service provider, made by its
/// <see cref="IMeterFactory"/>; their names, units and descriptions are what dashboards read, so they are pinned here.
/// </summary>
public sealed class CourierMeterTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-meter");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_engine_instrument_is_on_the_one_meter_of_the_providers_meter_factory()
    {
        using var provider = new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _temp.Combine("config");
                o.StateDirectory = _temp.Combine("state");
            })
            .Services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            // Other tests' providers publish on meters of their own factories: only this provider's count.
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == factory)
                {
                    lock (published)
                    {
                        published.Add(instrument);
                    }
                }
            },
        };
        listener.Start();

        provider.GetRequiredService<CourierMetrics>();
        provider.GetRequiredService<SourceUpdateCoordinator>();
        provider.GetRequiredService<IFileTransfer>();

        var meter = Assert.Single(published.Select(instrument => instrument.Meter).Distinct());
        Assert.Same(provider.GetRequiredService<CourierMeter>().Meter, meter);
        Assert.Equal(CourierTelemetry.Name, meter.Name);
        Assert.Equal(
            [
                ("courier.deliveries", "{delivery}", "Deliveries to one target, by destination type and outcome."),
                ("courier.delivery.bytes", "By", "Bytes a delivery to one target sent."),
                ("courier.delivery.duration", "s", "How long a delivery to one target took."),
                ("courier.delivery.retries", "{retry}", "Transfers tried again after a transient failure"),
                ("courier.pull.failures", "{pull}", "Pulls of a source that failed."),
                ("courier.pulls", "{pull}", "Pulls of a source, failed or not."),
                ("courier.rollouts", "{rollout}", "Rollouts of a source in waves, by outcome (completed or stopped)."),
                ("courier.source.last_success", "s", "When a source was last pulled and delivered everywhere, in Unix seconds."),
                ("courier.target.revision", "s", "The revision each target holds (tag), since when in Unix seconds (value): read from its release link with atomic publish."),
                ("courier.triggers.coalesced", "{trigger}", "Triggers folded into an update already waiting: a queued one (the host's queue) or a source's pending run."),
                ("courier.updates", "{update}", "Updates finished, by trigger kind and outcome."),
            ],
            published.Select(instrument => (instrument.Name, instrument.Unit, instrument.Description)).OrderBy(i => i.Name, StringComparer.Ordinal));
    }
}
