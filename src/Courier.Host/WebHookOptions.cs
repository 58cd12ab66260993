namespace Courier.Host;

/// <summary>Secrets and limits of the web hooks (section <c>Courier:WebHooks</c>). Secrets are never logged.</summary>
internal sealed class WebHookOptions
{
    /// <summary>
    /// GitLab's signing token (<c>webhook-signature: v1,...</c>, Standard Webhooks); a <c>whsec_</c> prefix means
    /// the rest is the base64 key, as the Standard Webhooks specification writes it.
    /// </summary>
    public string? GitLabSigningKey { get; set; }

    /// <summary>The secret of GitHub hooks (<c>X-Hub-Signature-256</c>).</summary>
    public string? GitHubSecret { get; set; }

    /// <summary>The secret of Gitea and Forgejo hooks (<c>X-Gitea-Signature</c>).</summary>
    public string? GiteaSecret { get; set; }

    /// <summary>The largest hook body read, in bytes (GitHub push payloads reach 25 MiB).</summary>
    public long MaxBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>How far a signed hook's <c>webhook-timestamp</c> may be from now, in seconds.</summary>
    public int TimestampToleranceSeconds { get; set; } = 300;
}
