// Runs one Courier update in-process: every source of the Hermes configuration on CONFIG_PATH, delivered to
// its destinations, and prints the report. Usage:
//   CONFIG_PATH=/etc/courier dotnet run -- [hermes directory] [state directory]
// Exit code 0 when everything was delivered, 1 otherwise.
using System.Text.Json;
using Courier;
using Courier.Core.Updates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
services.AddCourier(options =>
    {
        if (args.Length > 0)
        {
            options.HermesDirectory = Path.GetFullPath(args[0]);
        }

        if (args.Length > 1)
        {
            options.StateDirectory = Path.GetFullPath(args[1]);
        }
    })
    .AddGitSource()
    .AddHermesDirectorySource()
    .AddArmadaLocalDestination()
    .AddRemoteDestinations()
    .AddLocalDirectoryDestination();

await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
var updater = provider.GetRequiredService<CourierUpdater>();
var report = await updater.UpdateAsync(UpdateTrigger.All, cancellation.Token);

Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return report.Succeeded ? 0 : 1;
