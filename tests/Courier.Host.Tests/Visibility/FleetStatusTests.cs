using System.Globalization;
using Courier.Testing;

namespace Courier.Host.Tests.Visibility;

/// <summary>
/// The status page of a fleet: one hermes-directory source delivered to 30 <c>ssh</c> targets (paths on one real
/// sshd), two of them at a port where nothing listens, read by headless chromium.
/// </summary>
public sealed class FleetStatusTests : IAsyncLifetime
{
    private const int Fleet = 30;
    private static readonly string[] Dead = ["t29", "t30"];

    private HermesSetup _setup = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        _setup.WriteHermesFile("app/app.conf", "v1");
        var names = Enumerable.Range(1, Fleet).Select(i => string.Create(CultureInfo.InvariantCulture, $"t{i:00}")).ToList();
        _setup.WriteSources("app.json", $$"""[{"type": "hermes-directory", "subdirectory": "app", "destinations": [{{string.Join(", ", names.Select(n => $"\"{n}\""))}}]}]""");
        var deadAddress = $"127.0.0.1:{FreePort.Next()}";
        var destinations = names.Select(n => $"\"{n}\": {_setup.SshDestination(address: Dead.Contains(n) ? deadAddress : null, path: Path.Combine(_setup.TargetDirectory, n))}");
        _setup.WriteDestinations($"{{{string.Join(",\n", destinations)}}}");
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task The_page_counts_the_revisions_lists_the_failing_targets_first_and_folds_the_healthy_ones()
    {
        // One try per target: the dead port's refusal is the error to show, not the retries' wait.
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string> { ["Courier:Retries:Attempts"] = "1" });
        var first = await UpdateAsync(host);

        var app = await AppBlockAsync(host);

        Assert.Contains($"<strong>{Fleet} targets:</strong> <span class=\"revision\">28 on {Code(first.Revision)} since ", app, StringComparison.Ordinal);
        Assert.Contains("<span class=\"revision\">2 with no known revision</span>", app, StringComparison.Ordinal);
        var (failing, healthy) = Split(app);
        Assert.Contains("<caption>2 failing</caption>", failing, StringComparison.Ordinal);
        Assert.Equal(Dead, Rows(failing).Select(Destination));
        Assert.All(Rows(failing), row =>
        {
            Assert.Contains("<td class=\"failing\" data-label=\"Last delivery\"><strong>error</strong>", row, StringComparison.Ordinal);
            Assert.Contains("Connection refused", row, StringComparison.Ordinal);
            Assert.Contains($"href=\"/reports/{first.Id}\"", row, StringComparison.Ordinal);
            Assert.Contains("no known revision", row, StringComparison.Ordinal);
        });
        Assert.StartsWith("<details>\n<summary>28 healthy targets</summary>", healthy, StringComparison.Ordinal);
        Assert.Equal(28, Rows(healthy).Count);
        Assert.All(Rows(healthy), row => Assert.Contains($"<strong>ok</strong> {Code(first.Revision)} since ", row, StringComparison.Ordinal));

        // No column per target: two tables of fixed columns, whatever the fleet's size.
        Assert.Equal(5, StatusPageSections.Count(app, "<th scope=\"col\">"));
        Assert.Equal(2, StatusPageSections.Count(app, "<thead>"));
    }

    [Fact]
    public async Task A_target_failing_after_a_success_is_listed_with_the_revision_it_still_holds()
    {
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string> { ["Courier:Retries:Attempts"] = "1" });
        var first = await UpdateAsync(host);
        _setup.WriteHermesFile("app/app.conf", "v2");
        // A file where t01's directory was: rsync can no longer write there, and t01 keeps v1.
        var t01 = Path.Combine(_setup.TargetDirectory, "t01");
        Directory.Delete(t01, recursive: true);
        File.WriteAllText(t01, "not a directory");
        var second = await UpdateAsync(host);
        Assert.NotEqual(first.Revision, second.Revision);

        var app = await AppBlockAsync(host);

        var counts = app[app.IndexOf("<p class=\"revisions\">", StringComparison.Ordinal)..app.IndexOf("</p>", app.IndexOf("<p class=\"revisions\">", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.Matches($"^<p class=\"revisions\"><strong>{Fleet} targets:</strong> <span class=\"revision\">27 on {Code(second.Revision)} since [^·]+</span> · <span class=\"revision\">1 on {Code(first.Revision)} since [^·]+</span> · <span class=\"revision\">2 with no known revision</span>$", counts);
        var (failing, healthy) = Split(app);
        var rows = Rows(failing);
        Assert.Equal(["t01", .. Dead], rows.Select(Destination));
        Assert.Contains($"{Code(first.Revision)} since ", rows[0], StringComparison.Ordinal);
        Assert.Contains($"href=\"/reports/{second.Id}\">report</a></td><td data-label=\"Holds\">{Code(first.Revision)}", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("<details>\n<summary>27 healthy targets</summary>", healthy, StringComparison.Ordinal);
        Assert.All(Rows(healthy), row => Assert.Contains(Code(second.Revision), row, StringComparison.Ordinal));
    }

    private async Task<(string Id, string Revision)> UpdateAsync(CourierHostProcess host)
    {
        var report = (await DeliveryScenario.PostAsync(host, "/update_all")).Report;
        return (report.GetProperty("id").GetString()!, DeliveryScenario.Source(report, "app").GetProperty("revision").GetString()!);
    }

    private static async Task<string> AppBlockAsync(CourierHostProcess host)
    {
        var dom = await HeadlessChromium.DumpDomAsync($"{host.BaseUrl}/status");
        Assert.Contains("<meta http-equiv=\"refresh\"", dom, StringComparison.Ordinal);
        return Assert.Single(StatusPageSections.Of(dom), pair => pair.Key == "hermes-directory:app").Value;
    }

    /// <summary>The block before the folded healthy targets (the failing ones) and from there on.</summary>
    private static (string Failing, string Healthy) Split(string block)
    {
        var fold = block.IndexOf("<details>", StringComparison.Ordinal);
        Assert.True(fold > 0, block);
        return (block[..fold], block[fold..]);
    }

    private static List<string> Rows(string html) => [.. html.Split("<tr><th scope=\"row\" data-label=\"Target\">").Skip(1)];

    private static string Destination(string row) => row[..row.IndexOf("<br>", StringComparison.Ordinal)];

    private static string Code(string revision) => $"<code title=\"{revision}\">{revision[..12]}</code>";
}
