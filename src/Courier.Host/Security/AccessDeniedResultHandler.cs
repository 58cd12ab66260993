using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Courier.Host.Security;

/// <summary>
/// Answers a refused call with a message that says what to change: 401 for a wrong bearer token, 403 naming
/// <c>Courier:Api:AllowedNetworks</c> and <c>Courier:Api:Tokens</c> for a caller from elsewhere.
/// </summary>
internal sealed partial class AccessDeniedResultHandler(ILogger<AccessDeniedResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        var caller = context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
        // A caller with a valid token always passes, so a refused caller who sent one sent a wrong one. (An unauthenticated
        // refusal is a "challenge", which carries no failure reasons.)
        var wrongToken = BearerTokenAuthenticationHandler.HasBearerToken(context.Request);
        if (wrongToken)
        {
            LogWrongToken(logger, context.Request.Path, caller);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsync($"{AllowedCallerHandler.WrongTokenReason}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        LogRefused(logger, context.Request.Path, caller);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsync(
            $"Callers from {caller} are not in Courier:Api:AllowedNetworks: send Authorization: Bearer with a token of Courier:Api:Tokens, or add the network to Courier:Api:AllowedNetworks.\n",
            context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Path} from {Caller}: wrong bearer token")]
    private static partial void LogWrongToken(ILogger logger, string path, string caller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Path} from {Caller}: not in Courier:Api:AllowedNetworks and no token")]
    private static partial void LogRefused(ILogger logger, string path, string caller);
}
