using Microsoft.Extensions.Options;

namespace Courier.Host.Security;

/// <summary>Checks the host's settings at start-up: a bad network, path, token or limit stops the host naming the setting.</summary>
internal sealed class HostOptionsValidator : IValidateOptions<CourierHostOptions>
{
    public ValidateOptionsResult Validate(string? name, CourierHostOptions options)
    {
        var failures = new List<string>();
        CheckRanges(options.Api.EffectiveAllowedNetworks, "Courier:Api:AllowedNetworks", failures);
        CheckRanges(options.Api.KnownProxies, "Courier:Api:KnownProxies", failures);
        CheckRanges(options.UpdateHermes.EffectiveAllowedTargets, "Courier:UpdateHermes:AllowedTargets", failures);
        foreach (var path in options.UpdateHermes.EffectiveAllowedPaths)
        {
            if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/') || path.TrimEnd('/').Length == 0
                || path.Contains("//", StringComparison.Ordinal) || path.Split('/').Any(s => s is "." or ".."))
            {
                failures.Add($"Courier:UpdateHermes:AllowedPaths: \"{path}\" must be an absolute, normalised directory other than /.");
            }
        }

        foreach (var (tokenName, token) in options.Api.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token) || token.Length < 16)
            {
                // The token itself is never part of a message.
                failures.Add($"Courier:Api:Tokens:{tokenName} must be at least 16 characters.");
            }
        }

        if (options.WebHooks.GitLabSigningKey is { } signingKey && signingKey.StartsWith("whsec_", StringComparison.Ordinal)
            && !Convert.TryFromBase64String(signingKey["whsec_".Length..], new byte[signingKey.Length], out _))
        {
            failures.Add("Courier:WebHooks:GitLabSigningKey starts with whsec_ but the rest is not base64.");
        }

        if (options.Api.MaxBodyBytes is < 1024 or > 100 * 1024 * 1024)
        {
            failures.Add($"Courier:Api:MaxBodyBytes must be from 1024 to 104857600, got {options.Api.MaxBodyBytes}.");
        }

        if (options.WebHooks.MaxBodyBytes is < 1024 or > 100 * 1024 * 1024)
        {
            failures.Add($"Courier:WebHooks:MaxBodyBytes must be from 1024 to 104857600, got {options.WebHooks.MaxBodyBytes}.");
        }

        if (options.WebHooks.TimestampToleranceSeconds is < 1 or > 3600)
        {
            failures.Add($"Courier:WebHooks:TimestampToleranceSeconds must be from 1 to 3600, got {options.WebHooks.TimestampToleranceSeconds}.");
        }

        if (options.QueueCapacity is < 1 or > 100_000)
        {
            failures.Add($"Courier:QueueCapacity must be from 1 to 100000, got {options.QueueCapacity}.");
        }

        if (options.UpdateHermes.ResolveTimeoutSeconds is < 1 or > 60)
        {
            failures.Add($"Courier:UpdateHermes:ResolveTimeoutSeconds must be from 1 to 60, got {options.UpdateHermes.ResolveTimeoutSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRanges(IEnumerable<string> entries, string setting, List<string> failures)
    {
        try
        {
            AddressRanges.Parse(entries, setting);
        }
        catch (FormatException e)
        {
            failures.Add(e.Message);
        }
    }
}
