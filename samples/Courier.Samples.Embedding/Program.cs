// Runs one Courier update in-process: every source of the Hermes configuration on CONFIG_PATH, delivered to
// its destinations, and prints the report as JSON on standard output (logs go to standard error). Usage:
//   CONFIG_PATH=/etc/courier dotnet run -- [hermes directory] [state directory]
// Exit code 0 when everything was delivered, 1 otherwise.
using System.Text.Json;
using Courier;
using Courier.Core.History;
using Courier.Core.Updates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var services = new ServiceCollection()
    .AddLogging(logging => logging
        .AddSimpleConsole(console => console.SingleLine = true)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

// The same registration a plugin's entry point makes in the host; the git source (Courier.Sources.Git) is added
// the same way, with .AddGitSource().
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
    .AddHermesDirectorySource()
    .AddTarballSource()
    .AddArmadaLocalDestination()
    .AddRemoteDestinations()
    .AddLocalDirectoryDestination();

await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
UpdateReport report;
try
{
    report = await provider.GetRequiredService<ICourierUpdater>().UpdateAsync(UpdateTrigger.All, cancellation.Token);
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"Courier cannot run: {e.Message}");
    return 1;
}

// The report in the shape the host answers with for Accept: application/json.
Console.WriteLine(JsonSerializer.Serialize(report, UpdateReportJson.Options));
return report.Succeeded ? 0 : 1;
