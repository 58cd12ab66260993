using Courier.Core;
using Microsoft.Extensions.Options;

namespace Courier.Host.Security;

/// <summary>Which web hook providers have a secret configured (their hooks are verified, so any address may send them).</summary>
internal sealed class WebHookSecrets(IOptions<CourierHostOptions> options)
{
    public bool IsConfigured(string provider)
    {
        var settings = options.Value;
        return provider switch
        {
            "gitlab" => !string.IsNullOrEmpty(settings.GitLabToken) || !string.IsNullOrEmpty(settings.WebHooks.GitLabSigningKey),
            "github" => !string.IsNullOrEmpty(settings.WebHooks.GitHubSecret),
            "gitea" => !string.IsNullOrEmpty(settings.WebHooks.GiteaSecret),
            _ => false,
        };
    }
}
