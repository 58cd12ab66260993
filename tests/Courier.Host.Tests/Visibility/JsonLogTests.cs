using System.Text.Json;

namespace Courier.Host.Tests.Visibility;

/// <summary><c>Logging:Console:FormatterName=json</c>: one JSON object a line, each line of an update with its id and source.</summary>
public sealed class JsonLogTests : DeliveryScenarioTests
{
    [Fact]
    public async Task Every_line_of_an_update_carries_its_id_and_the_lines_of_a_source_its_source_and_rsync_itemises_changes_at_debug()
    {
        string updateId;
        string logs;
        await using (var host = await Setup.StartHostAsync(new Dictionary<string, string>
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Courier.Core.Transfer"] = "Debug",
        }))
        {
            updateId = (await DeliveryScenario.PostAsync(host, "/update_all")).UpdateId!;
            await host.StopAsync();
            logs = host.Logs;
        }

        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        var update = lines.Where(line => Scope(line, "UpdateId") == updateId).ToList();
        Assert.Contains(update, line => line.GetProperty("Message").GetString()!.StartsWith("Update started", StringComparison.Ordinal));
        Assert.Contains(update, line => line.GetProperty("Message").GetString()!.StartsWith("Update finished", StringComparison.Ordinal));
        var pushed = Assert.Single(update, line => line.GetProperty("Message").GetString()!.StartsWith("Pushed hermes-directory:good", StringComparison.Ordinal));
        Assert.Equal("hermes-directory:good", Scope(pushed, "Source"));
        // One line per attempt: an unreachable target is retried (Courier:Retries:Attempts).
        var failed = update.Where(line => line.GetProperty("Message").GetString()!.StartsWith("Push of hermes-directory:bad", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, line => Assert.Equal("hermes-directory:bad", Scope(line, "Source")));
        var itemised = Assert.Single(update, line => line.GetProperty("LogLevel").GetString() == "Debug" && Scope(line, "Source") == "hermes-directory:good");
        Assert.Contains("<f+++++++++ app.conf", itemised.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"not a JSON log line: {line} ({e.Message})");
        }
    }

    private static string? Scope(JsonElement line, string name) =>
        line.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out _)).Select(s => s.GetProperty(name).GetString()).FirstOrDefault()
            : null;
}
