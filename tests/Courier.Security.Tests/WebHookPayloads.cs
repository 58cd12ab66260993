using System.Security.Cryptography;
using System.Text;

namespace Courier.Security.Tests;

/// <summary>Push events and headers as each provider documents them (trimmed to representative fields).</summary>
internal static class WebHookPayloads
{
    /// <summary>GitHub's push event (docs.github.com, "push" webhook payload).</summary>
    public const string GitHubPush = """
        {
          "ref": "refs/heads/main",
          "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          "after": "0000000000000000000000000000000000000001",
          "created": false,
          "deleted": false,
          "forced": false,
          "base_ref": null,
          "compare": "https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000",
          "commits": [],
          "head_commit": null,
          "repository": {
            "id": 186853002,
            "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
            "name": "Hello-World",
            "full_name": "Codertocat/Hello-World",
            "private": false,
            "html_url": "https://github.com/Codertocat/Hello-World",
            "git_url": "git://github.com/Codertocat/Hello-World.git",
            "ssh_url": "git@github.com:Codertocat/Hello-World.git",
            "clone_url": "https://github.com/Codertocat/Hello-World.git",
            "default_branch": "main"
          },
          "pusher": { "name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com" },
          "sender": { "login": "Codertocat", "id": 21031067, "type": "User" }
        }
        """;

    /// <summary>GitHub's ping, sent when a hook is created.</summary>
    public const string GitHubPing = """{"zen": "Keep it logically awesome.", "hook_id": 109948940, "hook": {"type": "Repository", "events": ["push"], "active": true}}""";

    /// <summary>Gitea's push event (docs.gitea.com, "Webhooks": example of a push event).</summary>
    public const string GiteaPush = """
        {
          "secret": "",
          "ref": "refs/heads/develop",
          "before": "28e1879d029cb852e4844d9c718537df08844e03",
          "after": "bffeb74224043ba2feb48d137756c8a9331c449a",
          "compare_url": "http://localhost:3000/gitea/webhooks/compare/28e1879d029cb852e4844d9c718537df08844e03...bffeb74224043ba2feb48d137756c8a9331c449a",
          "commits": [
            { "id": "bffeb74224043ba2feb48d137756c8a9331c449a", "message": "Webhooks Yay!", "url": "http://localhost:3000/gitea/webhooks/commit/bffeb74224043ba2feb48d137756c8a9331c449a",
              "author": { "name": "Gitea", "email": "someone@gitea.io", "username": "gitea" }, "timestamp": "2017-03-13T13:52:11-04:00" }
          ],
          "repository": {
            "id": 140, "name": "webhooks", "full_name": "gitea/webhooks",
            "owner": { "id": 1, "login": "gitea", "full_name": "Gitea", "username": "gitea" },
            "html_url": "http://localhost:3000/gitea/webhooks", "private": false, "fork": false, "default_branch": "master",
            "ssh_url": "ssh://gitea@localhost:2222/gitea/webhooks.git", "clone_url": "http://localhost:3000/gitea/webhooks.git"
          },
          "pusher": { "id": 1, "login": "gitea", "full_name": "Gitea", "username": "gitea" },
          "sender": { "id": 1, "login": "gitea", "full_name": "Gitea", "username": "gitea" }
        }
        """;

    /// <summary>GitLab's push event (docs.gitlab.com, "Webhook events": push events).</summary>
    public const string GitLabPush = """
        {
          "object_kind": "push", "event_name": "push",
          "before": "95790bf891e76fee5e1747ab589903a6a1f80f22", "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "ref": "refs/heads/master", "ref_protected": true, "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "user_id": 4, "user_name": "John Smith", "user_username": "jsmith", "project_id": 15,
          "project": { "id": 15, "name": "Diaspora", "git_ssh_url": "git@example.com:mike/diaspora.git", "git_http_url": "http://example.com/mike/diaspora.git",
                       "path_with_namespace": "mike/diaspora", "default_branch": "master" },
          "repository": { "name": "Diaspora", "url": "git@example.com:mike/diaspora.git", "homepage": "http://example.com/mike/diaspora",
                          "git_http_url": "http://example.com/mike/diaspora.git", "git_ssh_url": "git@example.com:mike/diaspora.git" },
          "commits": [], "total_commits_count": 4
        }
        """;

    /// <summary>GitLab's System Hook push (docs.gitlab.com, "System hooks": push events).</summary>
    public const string GitLabSystemHookPush = """
        {
          "event_name": "push",
          "before": "95790bf891e76fee5e1747ab589903a6a1f80f22", "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "ref": "refs/heads/master", "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "user_id": 4, "user_name": "John Smith", "user_email": "john@example.com", "project_id": 15,
          "project": { "name": "Example", "git_ssh_url": "git@example.com:jsmith/example.git", "git_http_url": "http://example.com/jsmith/example.git",
                       "path_with_namespace": "jsmith/example", "default_branch": "master" },
          "repository": { "name": "Example", "url": "git@example.com:jsmith/example.git", "git_ssh_url": "git@example.com:jsmith/example.git" },
          "commits": [], "total_commits_count": 3
        }
        """;

    public static string HexHmac(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>A Standard Webhooks signature (<c>v1,BASE64</c>) with a <c>whsec_</c> key.</summary>
    public static string StandardSignature(string key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
}
