using System.Text.Json;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Faults.Tests;

/// <summary>An Armada API or a remote Courier that hangs, floods or fails: its destination fails alone.</summary>
public sealed class PeerFaultTests : FaultSiteTests
{
    /// <summary>Updates with the faulty destination beside a healthy one; returns the one error of the report.</summary>
    private async Task<string> UpdateWithAsync(string faultyDestination)
    {
        Site.WriteDestinations(faultyDestination, Site.SshDestination());
        await Site.StartHostAsync();
        var report = await Site.UpdateAllReportAsync();
        var destinations = report.GetProperty("sources").EnumerateArray().SelectMany(source => source.GetProperty("destinations").EnumerateArray()).ToList();
        var deliveries = destinations.SelectMany(destination => destination.GetProperty("deliveries").EnumerateArray()).ToList();
        Assert.Contains(deliveries, d => d.GetProperty("target").GetString()!.Contains(Site.Target.Endpoint, StringComparison.Ordinal) && d.GetProperty("succeeded").GetBoolean());
        var errors = destinations.Select(d => d.GetProperty("error").GetString())
            .Concat(deliveries.Select(d => d.GetProperty("error").GetString()))
            .OfType<string>();
        return Assert.Single(errors);
    }

    private static long PeakRssKilobytes(int pid) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_armada_api_that_streams_512_MiB_is_refused_after_1_MiB_and_the_host_stays_small()
    {
        await using var flood = await TestWebServer.StartAsync(app => app.MapGet("/list", async (HttpContext context) =>
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (var i = 0; i < 512 * 16 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }));

        var error = await UpdateWithAsync($$"""{"type": "armada-local", "armada_api": "{{flood.BaseUrl}}"}""");

        Assert.Contains("more than 1048576 bytes", error, StringComparison.Ordinal);
        Assert.True(PeakRssKilobytes(Site.Host.ProcessId) < 150 * 1024, $"peak RSS {PeakRssKilobytes(Site.Host.ProcessId)} kB");
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Fact]
    public async Task An_armada_api_that_never_answers_costs_its_question_deadline()
    {
        await using var hung = await TestWebServer.StartAsync(app => app.MapGet("/list", (HttpContext context) => Task.Delay(Timeout.Infinite, context.RequestAborted)));

        var error = await UpdateWithAsync($$"""{"type": "armada-local", "armada_api": "{{hung.BaseUrl}}"}""");

        Assert.Contains("did not answer within 10 s", error, StringComparison.Ordinal);
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Theory]
    [InlineData("fails", "answered 500")]
    [InlineData("hangs", "did not answer within Courier:Timeouts:RemoteForward (00:00:02)")]
    public async Task A_remote_courier_whose_update_all_fails_or_hangs_is_reported_and_the_files_still_arrive(string behaviour, string expected)
    {
        await using var remote = await TestWebServer.StartAsync(app =>
        {
            app.MapGet("/hermes_address", () => Results.Json(new Dictionary<string, string> { ["ssh"] = Site.Target.Endpoint, ["path"] = Site.TargetDirectory }));
            app.MapPost("/update_all", async (HttpContext context) =>
            {
                if (behaviour == "hangs")
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }

                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("There were errors. Check logs for details.");
            });
        });

        var error = await UpdateWithAsync($$$"""{"type": "courier-remote", "address": "{{{remote.Address}}}", "ssh": {"user": "{{{Site.Target.User}}}", "key": "keys/courier.key", "sudo": false}}""");

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal("v1", File.ReadAllText(Path.Combine(Site.TargetDirectory, "app", "app.conf")));
        await Site.AssertHostLeftNoProcessAsync();
    }
}
