using System.Text.Json;

namespace Courier.Host.Tests.Visibility;

/// <summary><c>GET /status</c>: JSON for programs, an HTML page for people, both computed from the history.</summary>
public sealed class StatusTests : DeliveryScenarioTests
{
    [Fact]
    public async Task Status_json_shows_the_last_revision_and_delivery_of_each_target_and_survives_a_restart()
    {
        JsonElement report;
        await using (var host = await Setup.StartHostAsync())
        {
            report = (await DeliveryScenario.PostAsync(host, "/update_all")).Report;
        }

        await using (var host = await Setup.StartHostAsync())
        {
            var status = await DeliveryScenario.GetJsonAsync(host, "/status");

            var sources = status.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
            var good = sources["hermes-directory:good"];
            var revision = DeliveryScenario.Source(report, "good").GetProperty("revision").GetString();
            Assert.Equal(revision, good.GetProperty("revision").GetString());
            Assert.True(good.GetProperty("ok").GetBoolean());
            var goodTarget = Assert.Single(good.GetProperty("targets").EnumerateArray());
            Assert.Equal("target", goodTarget.GetProperty("destination").GetString());
            Assert.Equal(revision, goodTarget.GetProperty("last_success").GetProperty("revision").GetString());
            Assert.Equal(report.GetProperty("id").GetString(), goodTarget.GetProperty("last_success").GetProperty("update").GetString());

            var bad = Assert.Single(sources["hermes-directory:bad"].GetProperty("targets").EnumerateArray());
            Assert.False(bad.GetProperty("ok").GetBoolean());
            Assert.Equal(JsonValueKind.Null, bad.GetProperty("last_success").ValueKind);
            Assert.Contains("Connection refused", bad.GetProperty("last_failure").GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_status_page_in_headless_chromium_shows_the_succeeding_and_the_failing_delivery()
    {
        await using var host = await Setup.StartHostAsync();
        var report = (await DeliveryScenario.PostAsync(host, "/update_all")).Report;
        var revision = DeliveryScenario.Source(report, "good").GetProperty("revision").GetString()!;
        var error = DeliveryScenario.Source(report, "bad").GetProperty("destinations")[0].GetProperty("deliveries")[0].GetProperty("error").GetString()!;

        var dom = await HeadlessChromium.DumpDomAsync($"{host.BaseUrl}/status");

        Assert.Contains("<meta http-equiv=\"refresh\"", dom, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", dom, StringComparison.Ordinal);
        var sources = StatusPageSections.Of(dom);
        var good = sources["hermes-directory:good"];
        Assert.Contains("<div class=\"pull ok\">", good, StringComparison.Ordinal);
        Assert.Contains($"1 on <code title=\"{revision}\">{revision[..12]}</code>", good, StringComparison.Ordinal);
        Assert.Contains("<td class=\"ok\" data-label=\"Holds\">", good, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"failing\"", good, StringComparison.Ordinal);
        var bad = sources["hermes-directory:bad"];
        Assert.Contains("<td class=\"failing\" data-label=\"Last delivery\">", bad, StringComparison.Ordinal);
        Assert.Contains(AsSerializedText(error), bad, StringComparison.Ordinal);
        Assert.Contains($"href=\"/reports/{report.GetProperty("id").GetString()}\"", bad, StringComparison.Ordinal);
        Assert.DoesNotContain("<details>", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_stacks_on_a_phone_screen()
    {
        await using var host = await Setup.StartHostAsync();
        await DeliveryScenario.PostAsync(host, "/update_all");
        var png = Setup.Root.Combine("phone.png");

        await HeadlessChromium.ScreenshotAsync($"{host.BaseUrl}/status", png, 390, 844);

        using var image = File.OpenRead(png);
        var header = new byte[24];
        image.ReadExactly(header);
        Assert.Equal(390, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)));
    }

    // How a DOM serialiser writes a text node.
    private static string AsSerializedText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
