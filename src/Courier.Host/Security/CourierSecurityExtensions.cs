using Courier.Core;
using Courier.Host.Triggers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Courier.Host.Security;

/// <summary>Registers and applies the host's access control: bearer tokens, allowed networks, known proxies, body limits.</summary>
internal static class CourierSecurityExtensions
{
    /// <summary>The policy of the API's mutating endpoints.</summary>
    public const string CallerPolicy = "CourierCaller";

    /// <summary>The policy of a provider's web hook endpoint.</summary>
    public static string WebHookPolicy(string provider) => $"CourierWebHook:{provider}";

    public static WebApplicationBuilder AddCourierSecurity(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(CourierOptions.SectionName).Get<CourierHostOptions>() ?? new CourierHostOptions();
        builder.Services.AddOptions<CourierHostOptions>().Bind(builder.Configuration.GetSection(CourierOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CourierHostOptions>, HostOptionsValidator>();
        builder.Services.AddSingleton<HermesTargetPolicy>();
        builder.Services.AddSingleton<WebHookSecrets>();
        builder.Services.AddSingleton<WebHookDeliveryLog>();
        builder.Services.AddSingleton<IAuthorizationHandler, AllowedCallerHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AccessDeniedResultHandler>();
        builder.Services.AddAuthentication(BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CallerPolicy, policy => policy.AddRequirements(new AllowedCallerRequirement(null)))
            .AddPolicy(WebHookPolicy("gitlab"), policy => policy.AddRequirements(new AllowedCallerRequirement("gitlab")))
            .AddPolicy(WebHookPolicy("github"), policy => policy.AddRequirements(new AllowedCallerRequirement("github")))
            .AddPolicy(WebHookPolicy("gitea"), policy => policy.AddRequirements(new AllowedCallerRequirement("gitea")));

        // Endpoints narrow this (the API to Courier:Api:MaxBodyBytes); chunked bodies count too.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(settings.WebHooks.MaxBodyBytes, settings.Api.MaxBodyBytes));

        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; Courier trusts no proxy unless configured.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            try
            {
                foreach (var network in AddressRanges.Parse(settings.Api.KnownProxies, "Courier:Api:KnownProxies").Networks)
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }
            catch (FormatException)
            {
                // Reported by the options validation at start-up.
            }
        });
        return builder;
    }

    /// <summary>Forwarded headers (only from known proxies), then routing, authentication and authorization.</summary>
    public static WebApplication UseCourierSecurity(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<CourierHostOptions>>().Value;
        if (settings.Api.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
