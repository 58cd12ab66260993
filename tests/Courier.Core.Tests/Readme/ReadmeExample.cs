using Courier;
using Courier.Core.Updates;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Readme;

/// <summary>
/// The example of src/Courier.Core/README.md (its usings and the lines between the markers), compiled here against the
/// packages it names; <see cref="ReadmeExampleTests"/> checks that the README shows exactly this code. Never run: it
/// would deliver from /etc/courier.
/// </summary>
internal static class ReadmeExample
{
    public static async Task<UpdateReport> RunAsync()
    {
        // The README's example begins.
        var services = new ServiceCollection().AddLogging();
        services.AddCourier(options =>
            {
                options.ConfigPath = "/etc/courier";          // default: the CONFIG_PATH environment variable
                options.HermesDirectory = "/etc/opt";
                options.StateDirectory = "/var/lib/courier";
            })
            .AddGitSource()                 // Courier.Sources.Git
            .AddHermesDirectorySource()     // Courier.Sources.HermesDirectory
            .AddArmadaLocalDestination()    // Courier.Destinations.ArmadaLocal
            .AddRemoteDestinations();       // Courier.Destinations.Remote

        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<ICourierUpdater>().UpdateAsync(UpdateTrigger.All, CancellationToken.None);
        // The README's example ends.
        return report;
    }
}
