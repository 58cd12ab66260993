using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Host.Tests.Visibility;

/// <summary>
/// Two hermes-directory sources: "good" delivered to a real sshd, "bad" to an address where no sshd listens, so one
/// update has a succeeding and a failing delivery.
/// </summary>
internal static class DeliveryScenario
{
    public static void Configure(HermesSetup setup)
    {
        setup.WriteHermesFile("good/app.conf", "v1");
        setup.WriteHermesFile("bad/app.conf", "never arrives");
        setup.WriteSources("visibility.json", """
            [{"type": "hermes-directory", "subdirectory": "good", "destinations": ["target"]},
             {"type": "hermes-directory", "subdirectory": "bad", "destinations": ["broken"]}]
            """);
        setup.WriteDestinations($$"""{"target": {{setup.SshDestination()}}, "broken": {{setup.SshDestination(address: $"127.0.0.1:{FreePort.Next()}")}}}""");
    }

    /// <summary>POSTs with Accept: application/json; the status, the update id header and the report.</summary>
    public static async Task<(HttpStatusCode Status, string? UpdateId, JsonElement Report)> PostAsync(CourierHostProcess host, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await host.Client.SendAsync(request);
        var updateId = response.Headers.TryGetValues("X-Courier-Update-Id", out var values) ? values.Single() : null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, updateId, body.RootElement.Clone());
    }

    public static async Task<JsonElement> GetJsonAsync(CourierHostProcess host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    public static JsonElement Source(JsonElement report, string subdirectory) =>
        report.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString()!.EndsWith(subdirectory, StringComparison.Ordinal));
}
