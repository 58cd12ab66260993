using Courier.Core;
using Courier.Core.Configuration;
using Courier.Host;
using Courier.Host.Api;
using Courier.Host.Background;
using Courier.Host.Cluster;
using Courier.Host.Diagnostics;
using Courier.Host.Health;
using Courier.Host.OpenApi;
using Courier.Host.Plugins;
using Courier.Host.Plugins.Install;
using Courier.Host.Security;

if (args is ["plugins", ..])
{
    return await PluginCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    HermesHostConfiguration.Apply(builder);
    builder.Host.UseSystemd();

    var courier = builder.Services.AddCourier();
    builder.Services.AddOptions<CourierOptions>()
        .Bind(builder.Configuration.GetSection(CourierOptions.SectionName))
        .ValidateOnStart();
    var pluginDirectories = builder.Configuration.GetSection("Courier:PluginDirectories").Get<string[]>() is { Length: > 0 } configured
        ? configured
        : PluginFolderLoader.DefaultDirectories;
    var plugins = PluginFolderLoader.LoadInto(courier, pluginDirectories);
    builder.AddCourierCluster(courier);
    builder.AddCourierTelemetry();
    builder.Services.AddCourierReadiness();
    builder.Services.AddCourierOpenApi();
    builder.Services.AddCourierBackground();
    builder.AddCourierSecurity();

    var app = builder.Build();
    var catalog = app.Services.GetRequiredService<PluginCatalog>();
    app.Logger.LogInformation(
        "Loaded plugins {Plugins}; source types {SourceTypes}; destination types {DestinationTypes}",
        string.Join(", ", plugins.Select(p => $"{p.Name} {p.Version}")),
        string.Join(", ", catalog.SourceTypes),
        string.Join(", ", catalog.DestinationTypes));
    var budget = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CourierOptions>>().Value.MaxParallelTransfers;
    foreach (var superseded in new[] { "Courier:MaxParallelDestinations", "Courier:MaxParallelDeliveries" }.Where(key => app.Configuration[key] is not null))
    {
        app.Logger.LogWarning(
            "{Setting} is no longer read: Courier:MaxParallelTransfers ({Budget}) bounds every transfer of the host, and an armada-local entry's \"max_parallel\" its agents",
            superseded,
            budget);
    }

    app.UseCourierSecurity();
    app.MapCourierApi();
    app.MapStatusApi();
    app.MapCourierMetrics();
    app.MapReadiness();
    app.MapOpenApi();
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
{
    await Console.Error.WriteLineAsync($"Courier cannot start: {e.Message}").ConfigureAwait(false);
    return 1;
}
