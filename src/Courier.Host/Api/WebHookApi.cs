using Courier.Core;
using Courier.Host.Triggers;
using Courier.Host.Background;
using Courier.Host.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Courier.Host.Api;

/// <summary>
/// The web hook routes: <c>/gitlab_web_hook</c> (the original's) and <c>/web_hook/{gitlab,github,gitea}</c>. Each
/// call is verified by its provider, parsed, de-duplicated by delivery id and queued; the answer comes at once
/// (providers give a hook about 10 seconds).
/// </summary>
internal static partial class WebHookApi
{
    public static IEndpointRouteBuilder MapWebHooks(this IEndpointRouteBuilder app)
    {
        var settings = app.ServiceProvider.GetRequiredService<IOptions<CourierHostOptions>>().Value;
        var tolerance = TimeSpan.FromSeconds(settings.WebHooks.TimestampToleranceSeconds);
        IWebHookProvider[] providers =
        [
            new GitLabWebHook(settings.GitLabToken, settings.WebHooks.GitLabSigningKey, tolerance),
            new GitHubWebHook(settings.WebHooks.GitHubSecret),
            new GiteaWebHook(settings.WebHooks.GiteaSecret),
        ];
        var hooks = app.MapGroup(string.Empty)
            .AddEndpointFilter(CourierApi.AnswerBadRequests)
            .WithMetadata(new RequestSizeLimitAttribute(settings.WebHooks.MaxBodyBytes));
        foreach (var provider in providers)
        {
            var routes = provider.Name == "gitlab" ? new[] { "/gitlab_web_hook", "/web_hook/gitlab" } : [$"/web_hook/{provider.Name}"];
            foreach (var route in routes)
            {
                hooks.MapPost(route, (HttpContext context, UpdateQueue queue, WebHookDeliveryLog deliveries, TimeProvider time, ILogger<UpdateQueue> logger) =>
                        HandleAsync(context, provider, queue, deliveries, time, logger))
                    .RequireAuthorization(CourierSecurityExtensions.WebHookPolicy(provider.Name));
            }
        }

        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, IWebHookProvider provider, UpdateQueue queue, WebHookDeliveryLog deliveries, TimeProvider time, ILogger logger)
    {
        var bytes = await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers;
        var request = new WebHookRequest(name => headers[name].ToString(), bytes, time.GetUtcNow());
        if (provider.Verify(request) is { } refusal)
        {
            LogRefused(logger, provider.Name, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", provider.DeliveryId(request) ?? "none", refusal);
            return Results.Text(refusal, statusCode: StatusCodes.Status401Unauthorized);
        }

        var body = RequestBody.Parse(bytes, required: true)!;
        var hookEvent = provider.Parse(request, body.Root);
        switch (hookEvent.Kind)
        {
            case WebHookEventKind.Invalid:
                throw new BadRequestException(hookEvent.Description);
            case WebHookEventKind.Ignored:
                LogIgnored(logger, provider.Name, hookEvent.Description);
                return Results.Text($"ignored: {hookEvent.Description}");
        }

        var deliveryId = provider.DeliveryId(request);
        if (deliveryId is not null && !deliveries.TryRecord(provider.Name, deliveryId))
        {
            LogDuplicate(logger, provider.Name, deliveryId);
            return Results.Text($"duplicate: delivery {deliveryId} was queued already.");
        }

        if (!queue.TryEnqueue(hookEvent.Description, hookEvent.Triggers))
        {
            if (deliveryId is not null)
            {
                deliveries.Forget(provider.Name, deliveryId);
            }

            context.Response.Headers.RetryAfter = "5";
            return Results.Text("Too many deliveries are waiting; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        LogQueued(logger, provider.Name, hookEvent.Description, deliveryId ?? "none");
        return Results.Text("queued", statusCode: StatusCodes.Status202Accepted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} web hook from {Caller} refused (delivery {DeliveryId}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string caller, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} web hook ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} web hook delivery {DeliveryId} seen already: not queued again")]
    private static partial void LogDuplicate(ILogger logger, string provider, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} web hook queued: {Event} (delivery {DeliveryId})")]
    private static partial void LogQueued(ILogger logger, string provider, string @event, string deliveryId);
}
