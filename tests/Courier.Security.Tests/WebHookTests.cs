using System.Net;
using System.Text.RegularExpressions;

namespace Courier.Security.Tests;

/// <summary>Each provider's hook, signed and unsigned, from a public address; duplicates acknowledged and dropped.</summary>
[Collection(SecuredSiteCollection.Name)]
public sealed partial class WebHookTests(SecuredSite site)
{
    [Fact]
    public async Task A_signed_github_push_is_queued_from_a_public_address_and_its_duplicate_dropped()
    {
        using var client = site.PublicClient();
        var delivery = Guid.NewGuid().ToString();
        (string, string)[] headers =
        [
            ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", delivery), ("X-GitHub-Hook-ID", "292430182"), ("User-Agent", "GitHub-Hookshot/044aadd"),
            ("X-Hub-Signature-256", "sha256=" + WebHookPayloads.HexHmac(SecuredSite.GitHubSecret, WebHookPayloads.GitHubPush)),
        ];

        var first = await SecuredSite.SendAsync(client, "/web_hook/github", WebHookPayloads.GitHubPush, headers: headers);
        var again = await SecuredSite.SendAsync(client, "/web_hook/github", WebHookPayloads.GitHubPush, headers: headers);

        Assert.Equal((HttpStatusCode.Accepted, "queued"), first);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.StartsWith("duplicate", again.Body, StringComparison.Ordinal);
        Assert.Equal(1, await QueuedCount(delivery, "seen already"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=d03e3f2ef5e49e5ee2c10ad4f5ab1b13c26d8a0b")]
    public async Task A_github_push_without_a_valid_signature_is_refused_with_401(string? signature)
    {
        using var client = site.PublicClient();
        var delivery = Guid.NewGuid().ToString();
        List<(string, string)> headers = [("X-GitHub-Event", "push"), ("X-GitHub-Delivery", delivery)];
        if (signature is not null)
        {
            headers.Add(("X-Hub-Signature-256", signature));
        }

        var (status, _) = await SecuredSite.SendAsync(client, "/web_hook/github", WebHookPayloads.GitHubPush, headers: headers);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, await QueuedCount(delivery, "refused"));
    }

    [Fact]
    public async Task A_github_ping_is_answered_200()
    {
        using var client = site.PublicClient();
        (string, string)[] headers =
        [
            ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", Guid.NewGuid().ToString()),
            ("X-Hub-Signature-256", "sha256=" + WebHookPayloads.HexHmac(SecuredSite.GitHubSecret, WebHookPayloads.GitHubPing)),
        ];

        var (status, _) = await SecuredSite.SendAsync(client, "/web_hook/github", WebHookPayloads.GitHubPing, headers: headers);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_signed_gitea_push_is_queued_and_an_unsigned_one_refused()
    {
        using var client = site.PublicClient();
        var delivery = Guid.NewGuid().ToString();
        (string, string)[] common = [("X-Gitea-Event", "push"), ("X-Gitea-Event-Type", "push"), ("X-Gitea-Delivery", delivery), ("X-GitHub-Event", "push")];

        var unsigned = await SecuredSite.SendAsync(client, "/web_hook/gitea", WebHookPayloads.GiteaPush, headers: common);
        var tampered = await SecuredSite.SendAsync(client, "/web_hook/gitea", WebHookPayloads.GiteaPush.Replace("develop", "master", StringComparison.Ordinal),
            headers: [.. common, ("X-Gitea-Signature", WebHookPayloads.HexHmac(SecuredSite.GiteaSecret, WebHookPayloads.GiteaPush))]);
        var signed = await SecuredSite.SendAsync(client, "/web_hook/gitea", WebHookPayloads.GiteaPush,
            headers: [.. common, ("X-Gitea-Signature", WebHookPayloads.HexHmac(SecuredSite.GiteaSecret, WebHookPayloads.GiteaPush))]);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.Status);
        Assert.Equal((HttpStatusCode.Accepted, "queued"), signed);
        Assert.Equal(1, await QueuedCount(delivery, "queued"));
    }

    [Theory]
    [InlineData("Push Hook", WebHookPayloads.GitLabPush)]
    [InlineData("System Hook", WebHookPayloads.GitLabSystemHookPush)]
    public async Task A_signed_gitlab_push_is_queued_once_and_an_unsigned_one_refused(string eventHeader, string payload)
    {
        using var client = site.PublicClient();
        var id = $"msg_{Guid.NewGuid():N}";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (string, string)[] signed =
        [
            ("X-Gitlab-Event", eventHeader), ("Idempotency-Key", id), ("webhook-id", id), ("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("webhook-signature", WebHookPayloads.StandardSignature(SecuredSite.GitLabSigningKey, id, timestamp, payload)),
        ];

        var unsigned = await SecuredSite.SendAsync(client, "/gitlab_web_hook", payload, headers: [("X-Gitlab-Event", eventHeader), ("Idempotency-Key", id)]);
        var first = await SecuredSite.SendAsync(client, "/gitlab_web_hook", payload, headers: signed);
        var retry = await SecuredSite.SendAsync(client, "/web_hook/gitlab", payload, headers: signed);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.Status);
        Assert.Equal((HttpStatusCode.Accepted, "queued"), first);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(1, await QueuedCount(id, "seen already"));
    }

    [Fact]
    public async Task A_gitlab_signature_older_than_five_minutes_is_refused()
    {
        using var client = site.PublicClient();
        var id = $"msg_{Guid.NewGuid():N}";
        var timestamp = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        (string, string)[] headers =
        [
            ("X-Gitlab-Event", "Push Hook"), ("webhook-id", id), ("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("webhook-signature", WebHookPayloads.StandardSignature(SecuredSite.GitLabSigningKey, id, timestamp, WebHookPayloads.GitLabPush)),
        ];

        var (status, body) = await SecuredSite.SendAsync(client, "/gitlab_web_hook", WebHookPayloads.GitLabPush, headers: headers);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("webhook-timestamp", body, StringComparison.Ordinal);
        Assert.Equal(0, await QueuedCount(id, "refused"));
    }

    /// <summary>How often the delivery was queued, once the host has logged its last answer about it.</summary>
    private async Task<int> QueuedCount(string deliveryId, string lastAnswer)
    {
        var logged = $"delivery {deliveryId}";
        for (var wait = 0; wait < 100 && !site.Host.Logs.Split('\n').Any(line => line.Contains(logged, StringComparison.Ordinal) && line.Contains(lastAnswer, StringComparison.Ordinal)); wait++)
        {
            await Task.Delay(100);
        }

        return QueuedLine().Matches(site.Host.Logs).Count(match => match.Groups["id"].Value == deliveryId);
    }

    [GeneratedRegex(@"web hook queued: .*\(delivery (?<id>[^)]+)\)")]
    private static partial Regex QueuedLine();
}
