using Courier.Core.History;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Courier.Core.Tests.History;

public sealed class FileReportStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = TempDirectory.Create("courier-reports");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Reports_older_than_MaxAge_leftover_temporary_files_and_unreadable_files_are_not_served()
    {
        var reports = Path.Combine(_temp.Path, "reports");
        using (var store = Store(maxAge: TimeSpan.FromDays(1)))
        {
            await store.OnReportAsync(Report(Now.AddDays(-2)), CancellationToken.None);
            await store.OnReportAsync(Report(Now.AddHours(-1)), CancellationToken.None);
            Assert.Single(await store.AllAsync(CancellationToken.None));
        }

        var corrupt = UpdateIds.New(Now.AddMinutes(-5));
        File.WriteAllText(Path.Combine(reports, corrupt + ".json"), "{ not json");
        File.WriteAllText(Path.Combine(reports, "x.json.tmp"), "half");
        File.WriteAllText(Path.Combine(reports, "passwd.json"), "{}");
        using var restarted = Store(maxAge: TimeSpan.FromDays(1));

        var kept = await restarted.AllAsync(CancellationToken.None);

        Assert.Equal(Now.AddHours(-1), Assert.Single(kept).StartedAt);
        Assert.False(File.Exists(Path.Combine(reports, "x.json.tmp")));
        Assert.Null(await restarted.GetAsync("../../passwd", CancellationToken.None));
        Assert.Null(await restarted.GetAsync("passwd", CancellationToken.None));
    }

    [Fact]
    public void Status_gives_each_target_the_revision_it_holds_and_since_when_as_read_from_its_release_link()
    {
        var switchedAt = Now.AddHours(-3);
        var first = Report(Now.AddHours(-2), new SourceReport("s", "t", "rev1", null, [new DestinationReport("d", null, [DeliveryResult.Success("atomic:/x", 10, TimeSpan.FromSeconds(1)) with { Revision = "rev1", RevisionSince = switchedAt }, DeliveryResult.Success("plain:/x", 10, TimeSpan.FromSeconds(1))])]));
        var unchanged = Report(Now.AddHours(-1), new SourceReport("s", "t", "rev1", null, [new DestinationReport("d", null, [DeliveryResult.Success("atomic:/x", 0, TimeSpan.Zero) with { Revision = "rev1", RevisionSince = switchedAt, Unchanged = true }, DeliveryResult.Success("plain:/x", 0, TimeSpan.FromSeconds(1))])]));
        var failed = Report(Now.AddMinutes(-10), new SourceReport("s", "t", "rev2", null, [new DestinationReport("d", null, [DeliveryResult.Failure("atomic:/x", "disk full", TimeSpan.FromSeconds(1)) with { Revision = "rev1", RevisionSince = switchedAt }, DeliveryResult.Failure("plain:/x", "refused", TimeSpan.FromSeconds(1))])]));

        var targets = Assert.Single(StatusBuilder.Build([first, unchanged, failed], Now).Sources).Targets;

        var atomic = Assert.Single(targets, t => t.Target == "atomic:/x");
        Assert.False(atomic.Ok);
        Assert.Equal(("rev1", switchedAt), (atomic.Revision, atomic.RevisionSince));
        var plain = Assert.Single(targets, t => t.Target == "plain:/x");
        Assert.Equal(("rev1", Now.AddHours(-2)), (plain.Revision, plain.RevisionSince));
    }

    [Fact]
    public void Status_keeps_the_last_success_of_a_target_that_fails_now_and_a_pull_failing_since_its_first_failure()
    {
        var first = Report(Now.AddHours(-2), new SourceReport("s", "t", "rev1", null, [new DestinationReport("d", null, [DeliveryResult.Success("host:/x", 10, TimeSpan.FromSeconds(1))])]));
        var second = Report(Now.AddHours(-1), new SourceReport("s", "t", "rev2", null, [new DestinationReport("d", null, [DeliveryResult.Failure("host:/x", "refused", TimeSpan.FromSeconds(1))])]));
        var third = Report(Now.AddMinutes(-30), new SourceReport("s", "t", null, "pull failed", []));
        var fourth = Report(Now.AddMinutes(-10), new SourceReport("s", "t", null, "pull failed again", []));

        var status = Assert.Single(StatusBuilder.Build([first, second, third, fourth], Now).Sources);

        Assert.Equal(("rev2", "pull failed again", Now.AddMinutes(-30)), (status.Revision, status.PullError, status.FailingSince));
        var target = Assert.Single(status.Targets);
        Assert.False(target.Ok);
        Assert.Equal(("rev1", first.Id), (target.LastSuccess!.Revision, target.LastSuccess.Update));
        Assert.Equal(("rev2", "refused"), (target.LastFailure!.Revision, target.LastFailure.Error));
        Assert.False(status.Ok);
    }

    private FileReportStore Store(TimeSpan maxAge) => new(
        Options.Create(new CourierOptions { StateDirectory = _temp.Path, Reports = { MaxAge = maxAge } }),
        new FixedTime(Now),
        NullLogger<FileReportStore>.Instance);

    private static UpdateReport Report(DateTimeOffset startedAt, params SourceReport[] sources) =>
        new("all sources", startedAt, TimeSpan.FromSeconds(1), [], sources) { Id = UpdateIds.New(startedAt) };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
