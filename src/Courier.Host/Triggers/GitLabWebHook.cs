using System.Text.Json;

namespace Courier.Host.Triggers;

/// <summary>
/// GitLab project, group and system hooks (<c>/gitlab_web_hook</c>, <c>/web_hook/gitlab</c>): the secret token
/// (<c>X-Gitlab-Token</c>, <c>Courier:GitLabToken</c>) and the signing token (<c>webhook-signature</c>,
/// <c>Courier:WebHooks:GitLabSigningKey</c>); each one configured must verify. With neither, calls are taken as
/// they come, as the original Courier did.
/// </summary>
internal sealed class GitLabWebHook(string? token, string? signingKey, TimeSpan timestampTolerance) : IWebHookProvider
{
    /// <inheritdoc />
    public string Name => "gitlab";

    /// <inheritdoc />
    public bool HasSecret => !string.IsNullOrEmpty(token) || !string.IsNullOrEmpty(signingKey);

    /// <inheritdoc />
    public string? Verify(WebHookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(token) && !WebHookSignatures.TokenMatches(request.Header("X-Gitlab-Token"), token))
        {
            return "The X-Gitlab-Token header does not match Courier:GitLabToken.";
        }

        return string.IsNullOrEmpty(signingKey)
            ? null
            : WebHookSignatures.StandardWebhookError(
                request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"),
                signingKey, request.Body.Span, request.ReceivedAt, timestampTolerance);
    }

    /// <inheritdoc />
    public string? DeliveryId(WebHookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Header("webhook-id") ?? request.Header("Idempotency-Key") ?? request.Header("X-Gitlab-Webhook-UUID");
    }

    /// <inheritdoc />
    public WebHookEvent Parse(WebHookRequest request, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var push = GitLabPushEvent.Parse(body, request.Header("X-Gitlab-Event"));
        return push.Kind switch
        {
            GitLabHookKind.BranchPush => new WebHookEvent(WebHookEventKind.Push, push.Triggers, $"GitLab push of {push.Branch} to {push.RepositoryUrls[0]}"),
            GitLabHookKind.Ignored => WebHookEvent.Ignored(push.Reason!),
            _ => WebHookEvent.Invalid($"Not a GitLab push event: {push.Reason}"),
        };
    }
}
