using Courier.Core.History;
using Courier.Core.Updates;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Validation;

/// <summary>Validation as the engine's step between pull and delivery, and how the report and the status show it.</summary>
public sealed class ValidationUpdateTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-validate-update");

    public void Dispose() => _temp.Dispose();

    private CourierUpdater Updater() =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _temp.Combine("config");
                o.StateDirectory = _temp.Combine("state");
            })
            .AddSourceFactory<DirectorySourceFactory>()
            .AddDestinationFactory<RecordingDestinationFactory>()
            .Services.BuildServiceProvider().GetRequiredService<CourierUpdater>();

    [Fact]
    public async Task A_failing_check_delivers_nothing_of_its_source_and_the_other_sources_still_deliver()
    {
        var broken = Path.GetDirectoryName(_temp.WriteFile("data/broken/app.json", "{\"a\": "))!;
        var good = Path.GetDirectoryName(_temp.WriteFile("data/good/app.json", "{\"a\": 1}"))!;
        _temp.WriteFile("config/sources/s.json", $$"""
            [{"type": "test-directory", "path": "{{broken}}", "destination_path": "broken", "destinations": ["box"], "validate": ["json"]},
             {"type": "test-directory", "path": "{{good}}", "destination_path": "good", "destinations": ["box"], "validate": ["json", ["true"]]}]
            """);
        _temp.WriteFile("config/destinations.json", """{"box": {"type": "recording", "name": "box"}}""");

        var report = await Updater().UpdateAsync(UpdateTrigger.All, CancellationToken.None);

        Assert.False(report.Succeeded);
        var failed = report.Sources.Single(s => s.Source.EndsWith("broken", StringComparison.Ordinal));
        Assert.Equal("r1", failed.Revision);
        Assert.Equal("validation failed, nothing was delivered: check json failed.", failed.Error);
        Assert.Empty(failed.Destinations);
        Assert.Equal("json", failed.Validation!.Check);
        Assert.False(failed.Validation.Passed);
        Assert.StartsWith("app.json: ", failed.Validation.Output, StringComparison.Ordinal);

        var delivered = report.Sources.Single(s => s.Source.EndsWith("good", StringComparison.Ordinal));
        Assert.True(delivered.Succeeded);
        Assert.Equal(new ValidationReport("json; true", true, null, null), delivered.Validation);
        Assert.Equal("box:good", Assert.Single(Assert.Single(delivered.Destinations).Deliveries).Target);
    }

    [Fact]
    public async Task A_failing_command_reports_its_exit_code_in_the_error()
    {
        var data = Path.GetDirectoryName(_temp.WriteFile("data/a/a.conf", "a"))!;
        _temp.WriteFile("config/sources/s.json", $$"""[{"type": "test-directory", "path": "{{data}}", "destinations": ["box"], "validate": [["sh", "-c", "echo bad config >&2; exit 4"]]}]""");
        _temp.WriteFile("config/destinations.json", """{"box": {"type": "recording", "name": "box"}}""");

        var source = Assert.Single((await Updater().UpdateAsync(UpdateTrigger.All, CancellationToken.None)).Sources);

        Assert.Equal("validation failed, nothing was delivered: check sh -c 'echo bad config >&2; exit 4' failed with exit code 4.", source.Error);
        Assert.Equal((4, "bad config"), (source.Validation!.ExitCode, source.Validation.Output));
        Assert.Empty(source.Destinations);
    }

    [Fact]
    public void The_status_shows_a_failed_validation_apart_from_a_pull_error_and_the_targets_keep_their_last_delivery()
    {
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var delivered = new UpdateReport("all sources", at, TimeSpan.FromSeconds(1), [], [
            new SourceReport("git:a", "git", "aaa", null, [new DestinationReport("box", null, [DeliveryResult.Success("box:/etc/opt", 10, TimeSpan.Zero)])])
            {
                Validation = new ValidationReport("json", true, null, null),
            },
        ]) { Id = "20260101T120000000Z-00000001" };
        var invalid = new ValidationReport("nginx -t", false, 1, "nginx: [emerg] unknown directive");
        var rejected = new UpdateReport("all sources", at.AddMinutes(1), TimeSpan.FromSeconds(1), [], [
            new SourceReport("git:a", "git", "bbb", "validation failed, nothing was delivered: check nginx -t failed with exit code 1.", []) { Validation = invalid },
        ]) { Id = "20260101T120100000Z-00000002" };

        var source = Assert.Single(StatusBuilder.Build([delivered, rejected], at.AddMinutes(2)).Sources);

        Assert.Null(source.PullError);
        Assert.Null(source.FailingSince);
        Assert.Equal("bbb", source.Revision);
        Assert.Equal(invalid, source.Validation);
        Assert.False(source.Ok);
        var target = Assert.Single(source.Targets);
        Assert.True(target.Ok);
        Assert.Equal("aaa", target.LastSuccess!.Revision);
    }
}
