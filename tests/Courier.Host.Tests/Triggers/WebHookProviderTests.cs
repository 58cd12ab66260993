using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Courier.Host.Triggers;

namespace Courier.Host.Tests.Triggers;

public sealed class WebHookProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private const string PushBody = """{"ref": "refs/heads/main", "after": "1111111111111111111111111111111111111111", "deleted": false, "repository": {"clone_url": "https://example.com/o/r.git", "ssh_url": "git@example.com:o/r.git"}}""";

    [Fact]
    public void Github_verifies_the_hex_hmac_of_the_exact_body()
    {
        var hook = new GitHubWebHook("It's a Secret to Everybody");
        // GitHub's documented test vector: the payload "Hello, World!" with this secret.
        var request = Request("Hello, World!", ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

        Assert.Null(hook.Verify(request));
        Assert.NotNull(hook.Verify(Request("Hello, World?", ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"))));
        Assert.NotNull(hook.Verify(Request("Hello, World!")));
    }

    [Fact]
    public void Github_reads_pushes_ignores_pings_tags_and_deleted_branches()
    {
        var hook = new GitHubWebHook(null);

        var push = Parse(hook, PushBody, ("X-GitHub-Event", "push"));
        var ping = Parse(hook, "{}", ("X-GitHub-Event", "ping"));
        var tag = Parse(hook, PushBody.Replace("refs/heads/main", "refs/tags/v1", StringComparison.Ordinal), ("X-GitHub-Event", "push"));
        var deleted = Parse(hook, PushBody.Replace("\"deleted\": false", "\"deleted\": true", StringComparison.Ordinal), ("X-GitHub-Event", "push"));

        Assert.Equal(WebHookEventKind.Push, push.Kind);
        Assert.Contains(UpdateTrigger.GitPush("git@example.com:o/r.git", "main"), push.Triggers);
        Assert.Contains(UpdateTrigger.GitPush("https://example.com/o/r.git", "main"), push.Triggers);
        Assert.Equal(WebHookEventKind.Ignored, ping.Kind);
        Assert.Equal(WebHookEventKind.Ignored, tag.Kind);
        Assert.Equal(WebHookEventKind.Ignored, deleted.Kind);
    }

    [Fact]
    public void Gitea_verifies_its_signature_and_names_its_delivery()
    {
        var hook = new GiteaWebHook("gitea-secret");
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData("gitea-secret"u8, Encoding.UTF8.GetBytes(PushBody)));
        var request = Request(PushBody, ("X-Gitea-Signature", signature), ("X-Gitea-Delivery", "f6266f16-1bf3-46a5-9ea4-602e06ead473"), ("X-Gitea-Event", "push"));

        Assert.Null(hook.Verify(request));
        Assert.Equal("f6266f16-1bf3-46a5-9ea4-602e06ead473", hook.DeliveryId(request));
        Assert.NotNull(hook.Verify(Request(PushBody, ("X-Gitea-Signature", signature.Replace(signature[0], signature[0] == 'a' ? 'b' : 'a')))));
    }

    [Fact]
    public void Gitlab_checks_the_standard_webhooks_signature_and_its_timestamp()
    {
        const string key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var hook = new GitLabWebHook(null, key, TimeSpan.FromMinutes(5));
        const string body = """{"object_kind": "push"}""";
        var timestamp = Now.ToUnixTimeSeconds();
        var signature = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key[6..]), Encoding.UTF8.GetBytes($"msg_1.{timestamp}.{body}")));

        Assert.Null(hook.Verify(Request(body, ("webhook-id", "msg_1"), ("webhook-timestamp", $"{timestamp}"), ("webhook-signature", $"v1,bm90IGl0 {signature}"))));
        Assert.NotNull(hook.Verify(Request(body, ("webhook-id", "msg_2"), ("webhook-timestamp", $"{timestamp}"), ("webhook-signature", signature))));
        Assert.Contains("webhook-timestamp", hook.Verify(Request(body, ("webhook-id", "msg_1"), ("webhook-timestamp", $"{timestamp + 301}"), ("webhook-signature", signature))), StringComparison.Ordinal);
        Assert.NotNull(hook.Verify(Request(body)));
        Assert.Equal("msg_1", hook.DeliveryId(Request(body, ("webhook-id", "msg_1"), ("Idempotency-Key", "other"))));
    }

    [Fact]
    public void Gitlab_without_secrets_takes_calls_as_the_original_did_and_reads_system_hook_pushes()
    {
        var hook = new GitLabWebHook(null, null, TimeSpan.FromMinutes(5));
        const string systemPush = """{"event_name": "push", "ref": "refs/heads/master", "project": {"git_ssh_url": "git@example.com:jsmith/example.git"}}""";

        Assert.False(hook.HasSecret);
        Assert.Null(hook.Verify(Request(systemPush)));
        var parsed = Parse(hook, systemPush, ("X-Gitlab-Event", "System Hook"));
        Assert.Equal(WebHookEventKind.Push, parsed.Kind);
        Assert.Equal([UpdateTrigger.GitPush("git@example.com:jsmith/example.git", "master")], parsed.Triggers);
        Assert.Equal(WebHookEventKind.Ignored, Parse(hook, """{"event_name": "project_create"}""", ("X-Gitlab-Event", "System Hook")).Kind);
    }

    [Fact]
    public void A_delivery_is_a_duplicate_for_an_hour_per_provider()
    {
        var time = new ManualTime(Now);
        var log = new WebHookDeliveryLog(time);

        Assert.True(log.TryRecord("github", "a"));
        Assert.False(log.TryRecord("github", "a"));
        Assert.True(log.TryRecord("gitea", "a"));
        time.Advance(TimeSpan.FromMinutes(61));
        Assert.True(log.TryRecord("github", "a"));
        log.Forget("github", "a");
        Assert.True(log.TryRecord("github", "a"));
    }

    private static WebHookRequest Request(string body, params (string Name, string Value)[] headers) =>
        new(name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value, Encoding.UTF8.GetBytes(body), Now);

    private static WebHookEvent Parse(IWebHookProvider hook, string body, params (string Name, string Value)[] headers)
    {
        using var document = JsonDocument.Parse(body);
        return hook.Parse(Request(body, headers), document.RootElement);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
