using System.Text.Json;

namespace Courier.Host.Triggers;

/// <summary>
/// GitHub repository and organisation hooks (<c>/web_hook/github</c>, content type <c>application/json</c>):
/// <c>X-Hub-Signature-256: sha256=HEX</c> with <c>Courier:WebHooks:GitHubSecret</c>, <c>X-GitHub-Event: push</c>
/// (a <c>ping</c> is acknowledged), <c>X-GitHub-Delivery</c> as the delivery id.
/// </summary>
internal sealed class GitHubWebHook(string? secret) : IWebHookProvider
{
    private const string SignaturePrefix = "sha256=";

    /// <inheritdoc />
    public string Name => "github";

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

        var signature = request.Header("X-Hub-Signature-256");
        if (signature is null || !signature.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            return "X-Hub-Signature-256 (sha256=...) is required: Courier:WebHooks:GitHubSecret is set.";
        }

        return WebHookSignatures.HexHmacMatches(signature[SignaturePrefix.Length..], secret, request.Body.Span)
            ? null
            : "X-Hub-Signature-256 does not match Courier:WebHooks:GitHubSecret.";
    }

    /// <inheritdoc />
    public string? DeliveryId(WebHookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Header("X-GitHub-Delivery");
    }

    /// <inheritdoc />
    public WebHookEvent Parse(WebHookRequest request, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = request.Header("X-GitHub-Event");
        return kind switch
        {
            null => WebHookEvent.Invalid("Not a GitHub event: the X-GitHub-Event header is missing."),
            "ping" => WebHookEvent.Ignored("ping: the hook is set up."),
            "push" => RepositoryPushPayload.Parse(body, "GitHub"),
            _ => WebHookEvent.Ignored($"\"{kind}\" events do not trigger deliveries; only \"push\" does."),
        };
    }
}
