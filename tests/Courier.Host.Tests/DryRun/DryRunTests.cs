using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Host.Tests.DryRun;

/// <summary><c>?dry_run=true</c> against a real sshd: what it lists is exactly what the next delivery changes, and it changes nothing.</summary>
public sealed class DryRunTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await HermesSetup.CreateAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task A_dry_run_lists_exactly_the_files_the_next_delivery_changes_and_changes_nothing()
    {
        _setup.WriteHermesFile("app/keep.conf", "same");
        _setup.WriteHermesFile("app/change.conf", "v1");
        _setup.WriteHermesFile("app/gone.conf", "bye");
        _setup.WriteHermesFile("app/old/dir.conf", "old");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();
        var (firstStatus, firstJson) = await host.PostAsync("/update_all", acceptJson: true);
        Assert.Equal(HttpStatusCode.OK, firstStatus);
        using var first = JsonDocument.Parse(firstJson);
        var firstId = first.RootElement.GetProperty("id").GetString();
        var firstRevision = first.RootElement.GetProperty("sources")[0].GetProperty("revision").GetString();

        _setup.WriteHermesFile("app/change.conf", "v2 is longer");
        File.Delete(Path.Combine(_setup.HermesDirectory, "app", "gone.conf"));
        Directory.Delete(Path.Combine(_setup.HermesDirectory, "app", "old"), recursive: true);
        _setup.WriteHermesFile("app/new.conf", "new");
        _setup.WriteHermesFile("app/nested/deep/new.conf", "deep");
        var before = Tree(_setup.TargetDirectory);

        var (status, json) = await host.PostAsync("/update_all?dry_run=true", acceptJson: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before, Tree(_setup.TargetDirectory));
        var beforeFiles = Files(Path.Combine(_setup.TargetDirectory, "app"));
        using var report = JsonDocument.Parse(json);
        Assert.True(report.RootElement.GetProperty("dry_run").GetBoolean());
        var source = report.RootElement.GetProperty("sources")[0];
        var revision = source.GetProperty("revision").GetString();
        Assert.NotEqual(firstRevision, revision);
        var delivery = source.GetProperty("destinations")[0].GetProperty("deliveries")[0];
        Assert.True(delivery.GetProperty("succeeded").GetBoolean());
        Assert.Equal(firstRevision, delivery.GetProperty("current_revision").GetString());
        var changes = delivery.GetProperty("changes");
        var listed = (Created: Paths(changes, "created"), Updated: Paths(changes, "updated"), Deleted: Paths(changes, "deleted"));
        Assert.Equal(["nested/deep/new.conf", "new.conf"], listed.Created);
        Assert.Equal(["change.conf"], listed.Updated);
        Assert.Equal(["gone.conf", "old/dir.conf"], listed.Deleted);

        // The history has it, marked; the status still shows the first delivery as what the target has.
        using var kept = JsonDocument.Parse(await host.Client.GetStringAsync($"/reports/{report.RootElement.GetProperty("id").GetString()}"));
        Assert.True(kept.RootElement.GetProperty("dry_run").GetBoolean());
        Assert.Equal(firstRevision, kept.RootElement.GetProperty("sources")[0].GetProperty("destinations")[0].GetProperty("deliveries")[0].GetProperty("current_revision").GetString());
        using var statusJson = JsonDocument.Parse(await GetJsonAsync(host, "/status"));
        Assert.Equal(firstId, statusJson.RootElement.GetProperty("last_update").GetString());
        var target = statusJson.RootElement.GetProperty("sources")[0].GetProperty("targets")[0];
        Assert.Equal(firstId, target.GetProperty("last_success").GetProperty("update").GetString());
        Assert.Equal(firstRevision, statusJson.RootElement.GetProperty("sources")[0].GetProperty("revision").GetString());

        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);

        var after = Files(Path.Combine(_setup.TargetDirectory, "app"));
        Assert.Equal(listed.Created, after.Keys.Except(beforeFiles.Keys).Order(StringComparer.Ordinal));
        Assert.Equal(listed.Deleted, beforeFiles.Keys.Except(after.Keys).Order(StringComparer.Ordinal));
        Assert.Equal(listed.Updated, beforeFiles.Keys.Intersect(after.Keys).Where(path => beforeFiles[path] != after[path]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_to_a_missing_path_makes_nothing_and_lists_every_file_as_created()
    {
        var missing = Path.Combine(_setup.Root.Path, "missing", "hermes");
        _setup.WriteHermesFile("app/a.conf", "a");
        _setup.WriteHermesFile("app/sub/b.conf", "b");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destination_path": "placed", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination(path: missing)}}}""");
        await using var host = await _setup.StartHostAsync();

        var (status, json) = await host.PostAsync("/update_from_hermes_directory?dry_run=true", """{"subdirectory": "app"}""", acceptJson: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(Directory.Exists(Path.Combine(_setup.Root.Path, "missing")));
        using var report = JsonDocument.Parse(json);
        var delivery = report.RootElement.GetProperty("sources")[0].GetProperty("destinations")[0].GetProperty("deliveries")[0];
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("current_revision").ValueKind);
        var created = Paths(delivery.GetProperty("changes"), "created");
        Assert.Equal(["a.conf", "sub/b.conf"], created);
        Assert.Empty(Paths(delivery.GetProperty("changes"), "updated"));
        Assert.Empty(Paths(delivery.GetProperty("changes"), "deleted"));

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_from_hermes_directory", """{"subdirectory": "app"}"""));
        Assert.Equal(created, Files(Path.Combine(missing, "placed")).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_answers_plain_clients_with_readable_text()
    {
        _setup.WriteHermesFile("app/a.conf", "a");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();
        Directory.CreateDirectory(Path.Combine(_setup.TargetDirectory, "app"));
        File.WriteAllText(Path.Combine(_setup.TargetDirectory, "app", "stale.conf"), "stale");

        var (status, text) = await host.PostAsync("/update_all?dry_run=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("dry run: nothing was delivered", text, StringComparison.Ordinal);
        Assert.Contains("source hermes-directory:app (hermes-directory) at ", text, StringComparison.Ordinal);
        Assert.Contains("revision: unknown -> ", text, StringComparison.Ordinal);
        Assert.Contains("      create a.conf\n", text, StringComparison.Ordinal);
        Assert.Contains("      delete stale.conf\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\nok\n", text, StringComparison.Ordinal);
        Assert.Equal("stale", _setup.ReadTarget("app/stale.conf"));
        Assert.Null(_setup.ReadTarget("app/a.conf"));

        var (badStatus, badText) = await host.PostAsync("/update_all?dry_run=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("dry_run must be true or false", badText, StringComparison.Ordinal);
        var (hermesStatus, hermesText) = await host.PostAsync("/update_hermes?dry_run=true", $$"""{"ssh": "{{_setup.Target.Endpoint}}", "path": "{{_setup.TargetDirectory}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, hermesStatus);
        Assert.Contains("/update_hermes has no dry run", hermesText, StringComparison.Ordinal);
        Assert.Null(_setup.ReadTarget("app/a.conf"));
    }

    [Fact]
    public async Task A_courier_remote_dry_run_shows_the_remote_hermes_directory_and_never_calls_its_update_all()
    {
        var remoteHermes = Path.Combine(_setup.TargetDirectory, "remote-hermes");
        Directory.CreateDirectory(Path.Combine(remoteHermes, "app"));
        File.WriteAllText(Path.Combine(remoteHermes, "app", "a.conf"), "old");
        var forwards = 0;
        await using var remote = await TestWebServer.StartAsync(app =>
        {
            app.MapGet("/hermes_address", () => Results.Json(new Dictionary<string, string> { ["ssh"] = _setup.Target.Endpoint, ["path"] = remoteHermes }));
            app.MapPost("/update_all", () =>
            {
                Interlocked.Increment(ref forwards);
                return Results.Text("ok");
            });
        });
        _setup.WriteHermesFile("app/a.conf", "new");
        _setup.WriteHermesFile("app/b.conf", "b");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["remote"]}]""");
        var remoteDestination = $$$"""{"type": "courier-remote", "address": "{{{remote.Address}}}", "ssh": {"user": "{{{_setup.Target.User}}}", "key": "keys/courier.key", "sudo": false}}""";
        _setup.WriteDestinations($$"""{"remote": {{remoteDestination}}}""");
        await using var host = await _setup.StartHostAsync();
        var before = Tree(remoteHermes);

        var (status, json) = await host.PostAsync("/update_all?dry_run=true", acceptJson: true);

        Assert.True(status == HttpStatusCode.OK, json);
        Assert.Equal(0, Volatile.Read(ref forwards));
        Assert.DoesNotContain(remote.Requests, request => request.Contains("update_all", StringComparison.Ordinal));
        Assert.Equal(before, Tree(remoteHermes));
        using var report = JsonDocument.Parse(json);
        var delivery = Assert.Single(report.RootElement.GetProperty("sources")[0].GetProperty("destinations")[0].GetProperty("deliveries").EnumerateArray());
        Assert.Equal(["b.conf"], Paths(delivery.GetProperty("changes"), "created"));
        Assert.Equal(["a.conf"], Paths(delivery.GetProperty("changes"), "updated"));
        Assert.Contains("/update_all was not called", delivery.GetProperty("note").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);
        Assert.Equal(1, Volatile.Read(ref forwards));
        Assert.Equal("new", File.ReadAllText(Path.Combine(remoteHermes, "app", "a.conf")));
    }

    private static async Task<string> GetJsonAsync(CourierHostProcess host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await host.Client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static string[] Paths(JsonElement changes, string kind) =>
        [.. changes.GetProperty(kind).EnumerateArray().Select(path => path.GetString()!).Order(StringComparer.Ordinal)];

    private static Dictionary<string, string> Files(string root) =>
        Tree(root).Where(pair => !pair.Key.EndsWith('/')).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>Every file and directory below <paramref name="root"/>: a file by its contents' hash and time, a directory by its time (so a mkdir or touch shows).</summary>
    private static SortedDictionary<string, string> Tree(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return tree;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
            if (Directory.Exists(entry))
            {
                tree[relative + "/"] = Directory.GetLastWriteTimeUtc(entry).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                tree[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry))) + "@" + File.GetLastWriteTimeUtc(entry).Ticks;
            }
        }

        return tree;
    }
}
