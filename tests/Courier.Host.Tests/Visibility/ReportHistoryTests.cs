using System.Net;
using System.Text.Json;

namespace Courier.Host.Tests.Visibility;

/// <summary>Every update's report is kept in the state directory, with its id, and served by <c>/reports</c>.</summary>
public sealed class ReportHistoryTests : DeliveryScenarioTests
{
    [Fact]
    public async Task Reports_have_ids_in_the_header_are_listed_newest_first_filtered_paged_and_kept_across_a_restart()
    {
        string all, good;
        await using (var host = await Setup.StartHostAsync())
        {
            var (status, id, report) = await DeliveryScenario.PostAsync(host, "/update_all");
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Equal(id, report.GetProperty("id").GetString());
            all = id!;
            (status, id, report) = await DeliveryScenario.PostAsync(host, "/update_from_hermes_directory", """{"subdirectory": "good"}""");
            Assert.Equal(HttpStatusCode.OK, status);
            good = id!;
            Assert.NotEqual(all, good);
            Assert.Equal(good, report.GetProperty("id").GetString());
        }

        await using (var host = await Setup.StartHostAsync())
        {
            var page = await DeliveryScenario.GetJsonAsync(host, "/reports");
            Assert.Equal([good, all], Ids(page));
            Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);

            Assert.Equal([all], Ids(await DeliveryScenario.GetJsonAsync(host, "/reports?outcome=failed")));
            Assert.Equal([good], Ids(await DeliveryScenario.GetJsonAsync(host, "/reports?outcome=succeeded")));
            Assert.Equal([all], Ids(await DeliveryScenario.GetJsonAsync(host, "/reports?source=bad")));
            Assert.Equal([good], Ids(await DeliveryScenario.GetJsonAsync(host, "/reports?trigger=hermes-directory")));
            Assert.Equal([all], Ids(await DeliveryScenario.GetJsonAsync(host, "/reports?trigger=all")));

            var first = await DeliveryScenario.GetJsonAsync(host, "/reports?limit=1");
            Assert.Equal([good], Ids(first));
            var second = await DeliveryScenario.GetJsonAsync(host, $"/reports?limit=1&before={first.GetProperty("next").GetString()}");
            Assert.Equal([all], Ids(second));

            var one = await DeliveryScenario.GetJsonAsync(host, $"/reports/{all}");
            Assert.Equal(all, one.GetProperty("id").GetString());
            Assert.False(one.GetProperty("succeeded").GetBoolean());
            var broken = DeliveryScenario.Source(one, "bad").GetProperty("destinations")[0];
            Assert.Equal("ssh", broken.GetProperty("type").GetString());
            Assert.Contains("Connection refused", broken.GetProperty("deliveries")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(Setup.StateDirectory, "reports"), "*.json").Length);
    }

    [Theory]
    [InlineData("/reports/20260101T000000000Z-00000000", HttpStatusCode.NotFound)]
    [InlineData("/reports/..%2F..%2Fetc%2Fpasswd", HttpStatusCode.NotFound)]
    [InlineData("/reports/%2Fetc%2Fpasswd", HttpStatusCode.NotFound)]
    [InlineData("/reports?outcome=maybe", HttpStatusCode.BadRequest)]
    [InlineData("/reports?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/reports?before=../../x", HttpStatusCode.BadRequest)]
    public async Task Unknown_ids_and_bad_queries_are_refused_without_touching_the_file_system(string path, HttpStatusCode expected)
    {
        await using var host = await Setup.StartHostAsync();

        using var response = await host.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_history_is_bounded_by_MaxCount()
    {
        await using var host = await Setup.StartHostAsync(new Dictionary<string, string> { ["Courier:Reports:MaxCount"] = "2" });
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await DeliveryScenario.PostAsync(host, "/update_from_hermes_directory", """{"subdirectory": "good"}""")).UpdateId!);
        }

        Assert.Equal([ids[2], ids[1]], Ids(await DeliveryScenario.GetJsonAsync(host, "/reports")));
        Assert.Equal(
            [ids[1] + ".json", ids[2] + ".json"],
            Directory.GetFiles(Path.Combine(Setup.StateDirectory, "reports")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_wrong_report_setting_stops_the_host_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Setup.StartHostAsync(new Dictionary<string, string> { ["Courier:Reports:MaxCount"] = "0" }));

        Assert.Contains("Courier:Reports:MaxCount", error.Message, StringComparison.Ordinal);
    }

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
}
