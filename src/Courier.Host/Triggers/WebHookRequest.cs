using System.Text.Json;

namespace Courier.Host.Triggers;

/// <summary>A web hook call as received: its headers (looked up case-insensitively) and its raw body.</summary>
internal sealed class WebHookRequest
{
    private readonly Func<string, string?> _header;

    /// <summary>Creates a request.</summary>
    /// <param name="header">Returns a header's value, or null or empty when absent.</param>
    /// <param name="body">The raw body, exactly as received (signatures are over these bytes).</param>
    /// <param name="receivedAt">When it arrived (for signature timestamps).</param>
    public WebHookRequest(Func<string, string?> header, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(header);
        _header = header;
        Body = body;
        ReceivedAt = receivedAt;
    }

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>When it arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>A header's value, or null when absent or empty.</summary>
    public string? Header(string name) => _header(name) is { Length: > 0 } value ? value : null;
}

/// <summary>What a web hook event asks for.</summary>
internal enum WebHookEventKind
{
    /// <summary>A push to a branch: deliver the sources of that repository and branch.</summary>
    Push,

    /// <summary>A valid event that concerns no delivery (a tag, a deleted branch, a ping, another event).</summary>
    Ignored,

    /// <summary>Not an event the provider can read: a 400.</summary>
    Invalid,
}

/// <summary>A parsed web hook event.</summary>
/// <param name="Kind">What it asks for.</param>
/// <param name="Triggers">The triggers of a push (one per repository URL the event names).</param>
/// <param name="Description">What happened (a push of a branch of a repository) or why it is ignored or invalid.</param>
internal sealed record WebHookEvent(WebHookEventKind Kind, IReadOnlyList<UpdateTrigger> Triggers, string Description)
{
    /// <summary>An event that asks for nothing.</summary>
    public static WebHookEvent Ignored(string reason) => new(WebHookEventKind.Ignored, [], reason);

    /// <summary>An event that cannot be read.</summary>
    public static WebHookEvent Invalid(string reason) => new(WebHookEventKind.Invalid, [], reason);
}

/// <summary>
/// One web hook provider (GitLab, GitHub, Gitea/Forgejo): verifies a call's token or signature, names its
/// delivery (for de-duplication) and reads its event into update triggers.
/// </summary>
internal interface IWebHookProvider
{
    /// <summary>The provider's key in routes and policies: <c>gitlab</c>, <c>github</c>, <c>gitea</c>.</summary>
    string Name { get; }

    /// <summary>Whether a secret is configured, so every call must verify.</summary>
    bool HasSecret { get; }

    /// <summary>Null when the call verifies (or no secret is configured), else why not (without any secret in it).</summary>
    string? Verify(WebHookRequest request);

    /// <summary>The delivery's id, the same when the provider retries it; null when the call names none.</summary>
    string? DeliveryId(WebHookRequest request);

    /// <summary>Reads the event; <paramref name="body"/> is the parsed body.</summary>
    WebHookEvent Parse(WebHookRequest request, JsonElement body);
}
