using System.Text.Json;

namespace Courier.Host.Triggers;

/// <summary>
/// The push payload GitHub and Gitea/Forgejo share: <c>ref</c> (<c>refs/heads/BRANCH</c>), <c>deleted</c> or an
/// all-zero <c>after</c>, and the repository's <c>clone_url</c>, <c>ssh_url</c> and <c>git_url</c>.
/// </summary>
internal static class RepositoryPushPayload
{
    private const string BranchPrefix = "refs/heads/";

    public static WebHookEvent Parse(JsonElement body, string provider)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return WebHookEvent.Invalid($"Not a {provider} push event: the body must be a JSON object, found {ConfigEntry.Describe(body.ValueKind)}.");
        }

        var gitRef = PeerAnswer.ReadString(body, "ref");
        if (string.IsNullOrEmpty(gitRef))
        {
            return WebHookEvent.Invalid($"Not a {provider} push event: \"ref\" is missing: expected refs/heads/<branch>.");
        }

        if (!gitRef.StartsWith(BranchPrefix, StringComparison.Ordinal) || gitRef.Length == BranchPrefix.Length)
        {
            return WebHookEvent.Ignored($"\"{gitRef}\" is not a branch (refs/heads/<branch>).");
        }

        var urls = new List<string>();
        if (body.TryGetProperty("repository", out var repository) && repository.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in new[] { "ssh_url", "clone_url", "git_url" })
            {
                if (PeerAnswer.ReadString(repository, field) is { Length: > 0 } url && !urls.Contains(url, StringComparer.Ordinal))
                {
                    urls.Add(url);
                }
            }
        }

        if (urls.Count == 0)
        {
            return WebHookEvent.Invalid($"Not a {provider} push event: the repository is missing: expected repository.clone_url or repository.ssh_url.");
        }

        var branch = gitRef[BranchPrefix.Length..];
        var deleted = body.TryGetProperty("deleted", out var flag) && flag.ValueKind == JsonValueKind.True
            || PeerAnswer.ReadString(body, "after") is { Length: > 0 } after && after.All(c => c == '0');
        return deleted
            ? WebHookEvent.Ignored($"branch \"{branch}\" was deleted: nothing to deliver.")
            : new WebHookEvent(WebHookEventKind.Push, [.. urls.Select(url => UpdateTrigger.GitPush(url, branch))], $"{provider} push of {branch} to {urls[0]}");
    }
}
