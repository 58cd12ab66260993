using System.Net;
using System.Text.Json;

namespace Courier.Host.Tests.Visibility;

/// <summary><c>/health</c> stays plain <c>ok</c>; <c>/health/ready</c> answers JSON, 200 or 503.</summary>
public sealed class ReadinessTests : DeliveryScenarioTests
{
    [Fact]
    public async Task Ready_once_the_start_up_update_has_finished_with_every_check_healthy()
    {
        await using var host = await Setup.StartHostAsync(updateAllOnStart: true);
        Assert.Equal("ok", await host.Client.GetStringAsync("/health"));

        (HttpStatusCode Status, JsonElement Body) answer = default;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            answer = await ReadyAsync(host);
            if (answer.Status == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal("the start-up update of all sources has not finished yet.", answer.Body.GetProperty("checks").GetProperty("startup_update").GetProperty("description").GetString());
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("healthy", answer.Body.GetProperty("status").GetString());
        Assert.Equal(
            ["hermes_directory", "plugins", "startup_update", "state_directory"],
            answer.Body.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(answer.Body.GetProperty("checks").EnumerateObject(), check => Assert.Equal("healthy", check.Value.GetProperty("status").GetString()));
        Assert.Equal("v1", Setup.ReadTarget("good/app.conf"));
    }

    [Fact]
    public async Task A_missing_hermes_directory_makes_the_host_unready_and_says_why()
    {
        Directory.Delete(Setup.HermesDirectory, recursive: true);
        await using var host = await Setup.StartHostAsync();

        var (status, body) = await ReadyAsync(host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        var hermes = body.GetProperty("checks").GetProperty("hermes_directory");
        Assert.Equal("unhealthy", hermes.GetProperty("status").GetString());
        Assert.Contains(Setup.HermesDirectory, hermes.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("state_directory").GetProperty("status").GetString());
        Assert.Equal("ok", await host.Client.GetStringAsync("/health"));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(Courier.Testing.CourierHostProcess host)
    {
        using var response = await host.Client.GetAsync("/health/ready");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }
}
