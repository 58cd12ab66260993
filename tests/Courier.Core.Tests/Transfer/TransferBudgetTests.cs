using Courier.Testing;

namespace Courier.Core.Tests.Transfer;

/// <summary>
/// The host's transfer budget (<c>Courier:MaxParallelTransfers</c>) over real rsync sessions: each session on the target
/// marks itself running for 0.4 s before rsync starts and logs how many are marked, so the log's largest count is the
/// most transfers the host ran at once, whoever started them.
/// </summary>
public sealed class TransferBudgetTests() : TransferSite("courier-budget")
{
    private const int Pushes = 6;

    private string Running => Temp.Combine("running");

    private string CountLog => Temp.Combine("at-once.log");

    protected override SshServerOptions ServerOptions => SshServerOptions.RunningFirst(Temp, $$"""
        case "$SSH_ORIGINAL_COMMAND" in
          *"rsync --server"*)
            mkdir -p '{{Running}}'; touch '{{Running}}'/$$
            ls '{{Running}}' | wc -l >> '{{CountLog}}'
            sleep 0.4; rm -f '{{Running}}'/$$ ;;
        esac
        """);

    private int MostAtOnce => File.ReadAllLines(CountLog).Max(line => int.Parse(line.Trim(), System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Transfers_started_together_by_any_number_of_callers_run_at_most_the_budget_at_once()
    {
        Temp.WriteFile("source/a.conf", "one");
        var transfer = Transfer(o => o.MaxParallelTransfers = 2);

        // As two sources with three targets each would: every caller shares the one budget of the host.
        var results = await Task.WhenAll(Enumerable.Range(0, Pushes).Select(i =>
            transfer.PushAsync(new Snapshot($"source-{i % 2}", Source, $"app{i}", "r1"), Address, Login(), null, CancellationToken.None)));

        Assert.All(results, result => Assert.True(result.Succeeded, result.Error));
        Assert.All(Enumerable.Range(0, Pushes), i => Assert.Equal("one", Read($"app{i}/a.conf")));
        Assert.Equal(2, MostAtOnce);
    }

    [Fact]
    public async Task The_default_budget_runs_more_than_a_few_transfers_at_once()
    {
        Temp.WriteFile("source/a.conf", "one");
        var transfer = Transfer();

        var results = await Task.WhenAll(Enumerable.Range(0, Pushes).Select(i =>
            transfer.PushAsync(new Snapshot("source", Source, $"app{i}", "r1"), Address, Login(), null, CancellationToken.None)));

        Assert.All(results, result => Assert.True(result.Succeeded, result.Error));
        Assert.Equal(32, new CourierOptions().MaxParallelTransfers);
        Assert.True(MostAtOnce > 2, $"at most {MostAtOnce} at once");
    }
}
