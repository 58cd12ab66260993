using System.Diagnostics;
using Courier.Testing;

namespace Courier.Core.Tests.Validation;

/// <summary>Command checks as real processes: exit codes, output, substitution, environment, deadlines and the kill.</summary>
public sealed class CommandCheckTests : IDisposable
{
    private readonly ValidationFixture _fixture = new(validateTimeout: TimeSpan.FromSeconds(1));

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_command_that_exits_0_passes()
    {
        var report = await _fixture.ValidateAsync("""[["true"], ["sh", "-c", "echo fine; exit 0"]]""");

        Assert.Equal(new ValidationReport("true; sh -c 'echo fine; exit 0'", true, null, null), report);
    }

    [Fact]
    public async Task A_failing_command_reports_its_exit_code_and_its_output_then_its_errors()
    {
        var report = await _fixture.ValidateAsync("""[["sh", "-c", "echo 'nginx: testing'; echo 'nginx: [emerg] unknown directive' >&2; exit 3"]]""");

        Assert.False(report.Passed);
        Assert.Equal("sh -c 'echo '\\''nginx: testing'\\''; echo '\\''nginx: [emerg] unknown directive'\\'' >&2; exit 3'", report.Check);
        Assert.Equal(3, report.ExitCode);
        Assert.Equal("nginx: testing\nnginx: [emerg] unknown directive", report.Output);
    }

    [Fact]
    public async Task Only_the_end_of_a_long_output_is_kept()
    {
        var report = await _fixture.ValidateAsync("""[["sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done; echo the-end >&2; exit 1"]]""");

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(ValidationReport.OutputLimit, report.Output!.Length);
        Assert.StartsWith("…", report.Output, StringComparison.Ordinal);
        Assert.EndsWith("line 1999\nthe-end", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_and_revision_are_substituted_and_given_in_the_environment_and_the_command_runs_in_the_snapshot()
    {
        var seen = _fixture.Temp.Combine("seen.txt");
        _fixture.WriteScript("bin/check.sh", $"""printf '%s\n' "$@" "$PWD" "$COURIER_SNAPSHOT" "$COURIER_REVISION" "$COURIER_SOURCE" > '{seen}'""");

        var report = await _fixture.ValidateAsync("""[["bin/check.sh", "{snapshot}", "--rev={revision}", "{snapshot}/{revision}", "{other}"]]""");

        Assert.True(report.Passed, report.Output);
        var snapshot = _fixture.SnapshotDirectory;
        var revision = _fixture.Snapshot.Revision;
        Assert.Equal(
            [snapshot, $"--rev={revision}", $"{snapshot}/{revision}", "{other}", snapshot, snapshot, revision, "test-directory:/x"],
            File.ReadAllLines(seen));
    }

    [Fact]
    public async Task A_hanging_command_is_killed_with_its_children_at_Courier_Timeouts_Validate_and_reaped()
    {
        var marker = $"{Random.Shared.Next(100000, 999999)}";
        var script = $"hang{marker}.sh";
        _fixture.WriteScript(script, $"sleep 600.{marker} &\nsleep 601.{marker}");
        var started = Stopwatch.StartNew();

        var report = await _fixture.ValidateAsync($$"""[["./{{script}}"]]""");

        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.False(report.Passed);
        Assert.Null(report.ExitCode);
        Assert.Contains("no result within Courier:Timeouts:Validate (00:00:01); it was ended", report.Output, StringComparison.Ordinal);
        Assert.Empty(await ProcessProbe.WaitUntilGoneAsync(marker));
        Assert.DoesNotContain(ProcessProbe.Children(), child => child.Name == script);
    }

    [Fact]
    public async Task A_check_with_its_own_timeout_is_ended_at_that_timeout_and_the_error_names_it()
    {
        var marker = $"{Random.Shared.Next(100000, 999999)}";

        var report = await _fixture.ValidateAsync($$"""[{"command": ["sleep", "30.{{marker}}"], "timeout": "00:00:00.300"}]""");

        Assert.False(report.Passed);
        Assert.Contains("sleep gave no result within the check's \"timeout\" (00:00:00.3000000); it was ended", report.Output, StringComparison.Ordinal);
        Assert.Empty(await ProcessProbe.WaitUntilGoneAsync(marker));
    }

    [Fact]
    public async Task A_longer_timeout_of_its_own_lets_a_slow_check_pass()
    {
        var report = await _fixture.ValidateAsync("""[{"command": ["sleep", "1.5"], "timeout": 10}]""");

        Assert.True(report.Passed);
    }

    [Fact]
    public async Task A_missing_program_fails_its_check_with_a_clear_message()
    {
        var report = await _fixture.ValidateAsync("""[["./no-such-check.sh"]]""");

        Assert.False(report.Passed);
        Assert.Null(report.ExitCode);
        Assert.Contains($"{_fixture.SnapshotDirectory}/no-such-check.sh could not be started", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_update_kills_the_running_command_and_throws()
    {
        var marker = $"{Random.Shared.Next(100000, 999999)}";
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fixture.ValidateAsync($$"""[{"command": ["sleep", "30.{{marker}}"], "timeout": 20}]""", cancel.Token));

        Assert.Empty(await ProcessProbe.WaitUntilGoneAsync(marker));
    }
}
