using Courier.Core;
using Courier.Core.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Courier.Host.Health;

/// <summary>The checks of <c>GET /health/ready</c>.</summary>
internal static class ReadinessChecks
{
    public const string Tag = "ready";

    public static IServiceCollection AddCourierReadiness(this IServiceCollection services)
    {
        services.AddSingleton<StartupUpdate>();
        services.AddHealthChecks()
            .AddCheck<PluginsLoadedCheck>("plugins", tags: [Tag])
            .AddCheck<StateDirectoryWritableCheck>("state_directory", tags: [Tag])
            .AddCheck<HermesDirectoryPresentCheck>("hermes_directory", tags: [Tag])
            .AddCheck<StartupUpdateFinishedCheck>("startup_update", tags: [Tag]);
        return services;
    }
}

/// <summary>At least one source type and one destination type are loaded.</summary>
internal sealed class PluginsLoadedCheck(PluginCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.SourceTypes.Count > 0 && catalog.DestinationTypes.Count > 0
            ? HealthCheckResult.Healthy($"source types {string.Join(", ", catalog.SourceTypes)}; destination types {string.Join(", ", catalog.DestinationTypes)}")
            : HealthCheckResult.Unhealthy("no source or no destination plugin is loaded: check Courier:PluginDirectories."));
}

/// <summary>The state directory (git caches, known_hosts, reports) takes a new file.</summary>
internal sealed class StateDirectoryWritableCheck(IOptions<CourierOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var directory = options.Value.StateDirectory;
        var probe = Path.Combine(directory, $".ready-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(probe, "ok", cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            return HealthCheckResult.Healthy(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"{directory} is not writable: {e.Message}");
        }
    }
}

/// <summary>The hermes directory (source of hermes-directory sources, where other Couriers push to) exists.</summary>
internal sealed class HermesDirectoryPresentCheck(IOptions<CourierOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var directory = options.Value.HermesDirectory;
        return Task.FromResult(Directory.Exists(directory)
            ? HealthCheckResult.Healthy(directory)
            : HealthCheckResult.Unhealthy($"{directory} (Courier:HermesDirectory) does not exist."));
    }
}

/// <summary>The start-up update of all sources has finished (or is not asked for).</summary>
internal sealed class StartupUpdateFinishedCheck(StartupUpdate startup, IOptions<CourierOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!options.Value.UpdateAllOnStart ? HealthCheckResult.Healthy("Courier:UpdateAllOnStart is false.")
            : startup.Finished ? HealthCheckResult.Healthy("the start-up update has finished.")
            : HealthCheckResult.Unhealthy("the start-up update of all sources has not finished yet."));
}
