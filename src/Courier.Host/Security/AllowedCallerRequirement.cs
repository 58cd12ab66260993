using Courier.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Courier.Host.Security;

/// <summary>
/// A caller allowed to change what Courier delivers: one holding a valid token, or one calling from
/// <c>Courier:Api:AllowedNetworks</c>. For a web hook of a provider whose secret is configured, every caller
/// passes here: the hook's signature or token is verified by the endpoint, from the body.
/// </summary>
/// <param name="WebHookProvider">The web hook provider the endpoint serves (<c>gitlab</c>, ...), or null for the API.</param>
internal sealed record AllowedCallerRequirement(string? WebHookProvider) : IAuthorizationRequirement;

/// <summary>Decides <see cref="AllowedCallerRequirement"/>.</summary>
internal sealed class AllowedCallerHandler(IOptions<CourierHostOptions> options, WebHookSecrets secrets) : AuthorizationHandler<AllowedCallerRequirement>
{
    /// <summary>Marks a refusal that is about a wrong token (401), not about the caller's network (403).</summary>
    public const string WrongTokenReason = "The bearer token matches none of Courier:Api:Tokens.";

    private readonly AddressRanges _allowedNetworks = AddressRanges.Parse(options.Value.Api.EffectiveAllowedNetworks, "Courier:Api:AllowedNetworks");

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AllowedCallerRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }
        else if (requirement.WebHookProvider is { } provider && secrets.IsConfigured(provider))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http && BearerTokenAuthenticationHandler.HasBearerToken(http.Request))
        {
            context.Fail(new AuthorizationFailureReason(this, WrongTokenReason));
        }
        else if (context.Resource is HttpContext caller && _allowedNetworks.Contains(caller.Connection.RemoteIpAddress))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "not in Courier:Api:AllowedNetworks"));
        }

        return Task.CompletedTask;
    }
}
