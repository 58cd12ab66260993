using System.Text.Json;

namespace Courier.Host.Triggers;

/// <summary>
/// Gitea and Forgejo hooks of type "Gitea"/"Forgejo" (<c>/web_hook/gitea</c>, content type <c>application/json</c>):
/// <c>X-Gitea-Signature: HEX</c> (HMAC-SHA256 with <c>Courier:WebHooks:GiteaSecret</c>), <c>X-Gitea-Event: push</c>,
/// <c>X-Gitea-Delivery</c> as the delivery id; Forgejo's <c>X-Forgejo-*</c> names are read too.
/// </summary>
internal sealed class GiteaWebHook(string? secret) : IWebHookProvider
{
    /// <inheritdoc />
    public string Name => "gitea";

    /// <inheritdoc />
    public bool HasSecret => !string.IsNullOrEmpty(secret);

    /// <inheritdoc />
    public string? Verify(WebHookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var signature = request.Header("X-Gitea-Signature") ?? request.Header("X-Forgejo-Signature");
        if (signature is null)
        {
            return "X-Gitea-Signature is required: Courier:WebHooks:GiteaSecret is set.";
        }

        return WebHookSignatures.HexHmacMatches(signature, secret, request.Body.Span)
            ? null
            : "X-Gitea-Signature does not match Courier:WebHooks:GiteaSecret.";
    }

    /// <inheritdoc />
    public string? DeliveryId(WebHookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Header("X-Gitea-Delivery") ?? request.Header("X-Forgejo-Delivery");
    }

    /// <inheritdoc />
    public WebHookEvent Parse(WebHookRequest request, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = request.Header("X-Gitea-Event") ?? request.Header("X-Forgejo-Event");
        return kind switch
        {
            null => WebHookEvent.Invalid("Not a Gitea event: the X-Gitea-Event header is missing."),
            "push" => RepositoryPushPayload.Parse(body, "Gitea"),
            _ => WebHookEvent.Ignored($"\"{kind}\" events do not trigger deliveries; only \"push\" does."),
        };
    }
}
