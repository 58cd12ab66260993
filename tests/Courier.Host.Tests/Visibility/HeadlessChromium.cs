using System.Diagnostics;
using Courier.Testing;

namespace Courier.Host.Tests.Visibility;

/// <summary>Debian's chromium, headless, as a process (scripts/test.sh installs it): the DOM or a screenshot of a page.</summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] CommonArguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
    ];

    /// <summary>The page's DOM after it loaded, as chromium serialises it.</summary>
    public static async Task<string> DumpDomAsync(string url, int width = 1100, int height = 700) =>
        await RunAsync([$"--window-size={width},{height}", "--dump-dom", url]);

    /// <summary>Writes a PNG screenshot of the page.</summary>
    public static async Task ScreenshotAsync(string url, string pngPath, int width, int height)
    {
        await RunAsync([$"--window-size={width},{height}", $"--screenshot={pngPath}", url]);
        Assert.True(File.Exists(pngPath), $"chromium wrote no screenshot to {pngPath}");
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: scripts/test.sh installs Debian's chromium package.");
        using var profile = TempDirectory.Create("chromium-profile");
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in CommonArguments.Append($"--user-data-dir={profile.Path}").Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"chromium did not finish within 90 s: {await errors}");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
