using System.Text.Json;
using Courier.Host.Triggers;

namespace Courier.Host.Tests.Triggers;

public sealed class GitLabPushEventTests
{
    // GitLab's documented push event, trimmed of commits: https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events
    private const string PushHook = """
        {
          "object_kind": "push",
          "event_name": "push",
          "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
          "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "ref": "refs/heads/dev",
          "ref_protected": true,
          "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "user_id": 4,
          "user_name": "John Smith",
          "project_id": 15,
          "project": {
            "id": 15,
            "name": "chess",
            "web_url": "http://git.initech.com/chess/chess",
            "git_ssh_url": "ci@git.initech.com:chess/chess.git",
            "git_http_url": "http://git.initech.com/chess/chess.git",
            "namespace": "chess",
            "path_with_namespace": "chess/chess",
            "default_branch": "master"
          },
          "repository": {
            "name": "chess",
            "url": "ci@git.initech.com:chess/chess.git",
            "description": "",
            "homepage": "http://git.initech.com/chess/chess",
            "git_http_url": "http://git.initech.com/chess/chess.git",
            "git_ssh_url": "ci@git.initech.com:chess/chess.git",
            "visibility_level": 0
          },
          "commits": [],
          "total_commits_count": 1
        }
        """;

    [Fact]
    public void A_branch_push_names_the_branch_and_every_url_of_the_repository()
    {
        var push = GitLabPushEvent.Parse(Parse(PushHook), "Push Hook");

        Assert.Equal(GitLabHookKind.BranchPush, push.Kind);
        Assert.Equal("dev", push.Branch);
        Assert.Equal(["ci@git.initech.com:chess/chess.git", "http://git.initech.com/chess/chess.git"], push.RepositoryUrls);
        Assert.Equal(
            [UpdateTrigger.GitPush("ci@git.initech.com:chess/chess.git", "dev"), UpdateTrigger.GitPush("http://git.initech.com/chess/chess.git", "dev")],
            push.Triggers);
    }

    [Fact]
    public void A_tag_push_is_ignored()
    {
        var tag = PushHook.Replace("\"object_kind\": \"push\"", "\"object_kind\": \"tag_push\"", StringComparison.Ordinal)
            .Replace("\"event_name\": \"push\"", "\"event_name\": \"tag_push\"", StringComparison.Ordinal)
            .Replace("refs/heads/dev", "refs/tags/v1.0.0", StringComparison.Ordinal);

        var push = GitLabPushEvent.Parse(Parse(tag), "Tag Push Hook");

        Assert.Equal(GitLabHookKind.Ignored, push.Kind);
        Assert.Empty(push.Triggers);
    }

    [Fact]
    public void A_tag_ref_in_a_push_is_ignored_as_not_a_branch()
    {
        var push = GitLabPushEvent.Parse(Parse(PushHook.Replace("refs/heads/dev", "refs/tags/v1", StringComparison.Ordinal)), null);

        Assert.Equal(GitLabHookKind.Ignored, push.Kind);
        Assert.Contains("not a branch", push.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_branch_is_ignored()
    {
        var deleted = PushHook.Replace("da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "0000000000000000000000000000000000000000", StringComparison.Ordinal);

        Assert.Equal(GitLabHookKind.Ignored, GitLabPushEvent.Parse(Parse(deleted), "Push Hook").Kind);
    }

    [Fact]
    public void Other_events_are_ignored()
    {
        Assert.Equal(GitLabHookKind.Ignored, GitLabPushEvent.Parse(Parse("""{"object_kind": "issue"}"""), "Issue Hook").Kind);
        Assert.Equal(GitLabHookKind.Ignored, GitLabPushEvent.Parse(Parse("""{"object_kind": "merge_request"}"""), null).Kind);
    }

    [Theory]
    [InlineData("""{"object_kind": "push", "repository": {"url": "x"}}""", "\"ref\" is missing")]
    [InlineData("""{"object_kind": "push", "ref": "refs/heads/master"}""", "repository is missing")]
    [InlineData("""[1, 2]""", "JSON object")]
    public void A_malformed_push_is_invalid_with_a_reason(string json, string reason)
    {
        var push = GitLabPushEvent.Parse(Parse(json), "Push Hook");

        Assert.Equal(GitLabHookKind.Invalid, push.Kind);
        Assert.Contains(reason, push.Reason, StringComparison.Ordinal);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
