using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Courier.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Courier.Host.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer TOKEN</c> against the named tokens of <c>Courier:Api:Tokens</c>, comparing
/// in constant time (every token is compared, so the time does not tell which one nearly matched). The identity is
/// the token's name; the token itself is never logged.
/// </summary>
internal sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<CourierHostOptions> courierOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "CourierBearer";
    private const string Prefix = "Bearer ";

    private readonly IReadOnlyList<(string Name, byte[] Hash)> _tokens =
        [.. courierOptions.Value.Api.Tokens.Select(pair => (pair.Key, SHA256.HashData(Encoding.UTF8.GetBytes(pair.Value))))];

    /// <summary>Whether the request carries a bearer token at all (a wrong one is refused, never ignored).</summary>
    public static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim()));
        string? matched = null;
        foreach (var (name, hash) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(given, hash))
            {
                matched ??= name;
            }
        }

        if (matched is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The bearer token matches none of Courier:Api:Tokens."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, matched)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
