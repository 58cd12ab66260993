using System.Text.Json;

namespace Courier.Host.Triggers;

/// <summary>What a GitLab web hook call asks for.</summary>
internal enum GitLabHookKind
{
    /// <summary>A push to a branch: deliver the sources of that repository and branch.</summary>
    BranchPush,

    /// <summary>A valid event that concerns no delivery (a tag push, a deleted branch, another kind of event).</summary>
    Ignored,

    /// <summary>Not a GitLab push event Courier can read.</summary>
    Invalid,
}

/// <summary>
/// A GitLab push event (<c>X-Gitlab-Event: Push Hook</c>, or a System Hook with <c>event_name: push</c>), read as GitLab documents it: the branch from
/// <c>ref</c> (<c>refs/heads/BRANCH</c>), the repository from <c>repository.url</c> and the SSH and HTTP clone URLs
/// of <c>project</c> and <c>repository</c>.
/// </summary>
/// <param name="Kind">What the event asks for.</param>
/// <param name="Branch">The pushed branch, for <see cref="GitLabHookKind.BranchPush"/>.</param>
/// <param name="RepositoryUrls">Every URL the event names the repository by (distinct).</param>
/// <param name="Reason">Why the event is ignored or invalid.</param>
internal sealed record GitLabPushEvent(GitLabHookKind Kind, string? Branch, IReadOnlyList<string> RepositoryUrls, string? Reason)
{
    private const string BranchPrefix = "refs/heads/";
    private const string DeletedCommit = "0000000000000000000000000000000000000000";

    /// <summary>The triggers of a branch push: one per repository URL.</summary>
    public IReadOnlyList<UpdateTrigger> Triggers =>
        Kind == GitLabHookKind.BranchPush ? [.. RepositoryUrls.Select(url => UpdateTrigger.GitPush(url, Branch!))] : [];

    /// <summary>Reads a web hook body; <paramref name="eventHeader"/> is the <c>X-Gitlab-Event</c> header, when sent.</summary>
    public static GitLabPushEvent Parse(JsonElement body, string? eventHeader)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"the body must be a JSON object, found {ConfigEntry.Describe(body.ValueKind)}.");
        }

        var kind = PeerAnswer.ReadString(body, "object_kind") ?? PeerAnswer.ReadString(body, "event_name");
        // A System Hook carries every kind of instance event; its pushes (event_name "push") are read like a Push Hook.
        if (eventHeader is { Length: > 0 } && !string.Equals(eventHeader, "Push Hook", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(eventHeader, "System Hook", StringComparison.OrdinalIgnoreCase))
        {
            return Ignored($"\"{eventHeader}\" events do not trigger deliveries; only \"Push Hook\" and System Hook pushes do.");
        }

        if (kind is not null && !string.Equals(kind, "push", StringComparison.Ordinal))
        {
            return Ignored($"\"{kind}\" events do not trigger deliveries; only pushes to branches do.");
        }

        var gitRef = PeerAnswer.ReadString(body, "ref");
        if (string.IsNullOrEmpty(gitRef))
        {
            return Invalid("\"ref\" is missing: expected refs/heads/<branch>.");
        }

        if (!gitRef.StartsWith(BranchPrefix, StringComparison.Ordinal) || gitRef.Length == BranchPrefix.Length)
        {
            return Ignored($"\"{gitRef}\" is not a branch (refs/heads/<branch>).");
        }

        var urls = new List<string>();
        foreach (var (owner, field) in new[] { ("repository", "url"), ("repository", "git_ssh_url"), ("repository", "git_http_url"), ("project", "git_ssh_url"), ("project", "git_http_url") })
        {
            if (body.TryGetProperty(owner, out var section) && section.ValueKind == JsonValueKind.Object && PeerAnswer.ReadString(section, field) is { Length: > 0 } url && !urls.Contains(url, StringComparer.Ordinal))
            {
                urls.Add(url);
            }
        }

        if (urls.Count == 0)
        {
            return Invalid("the repository is missing: expected repository.url or project.git_ssh_url.");
        }

        var branch = gitRef[BranchPrefix.Length..];
        if (string.Equals(PeerAnswer.ReadString(body, "after"), DeletedCommit, StringComparison.Ordinal))
        {
            return new GitLabPushEvent(GitLabHookKind.Ignored, branch, urls, $"branch \"{branch}\" was deleted: nothing to deliver.");
        }

        return new GitLabPushEvent(GitLabHookKind.BranchPush, branch, urls, null);
    }

    private static GitLabPushEvent Invalid(string reason) => new(GitLabHookKind.Invalid, null, [], reason);

    private static GitLabPushEvent Ignored(string reason) => new(GitLabHookKind.Ignored, null, [], reason);
}
