using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Courier.Core;
using Courier.Core.Triggers;
using Courier.Core.Updates;
using Courier.Host.Background;
using Microsoft.Extensions.Options;

namespace Courier.Host.Api;

/// <summary>The original Courier's HTTP API, answer for answer.</summary>
internal static partial class CourierApi
{
    public const string Ok = "ok";
    public const string Failure = "There were errors. Check logs for details.";
    public const string UpdateIdHeader = "X-Courier-Update-Id";

    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static IEndpointRouteBuilder MapCourierApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Welcome);
        app.MapGet("/health", () => Results.Text(Ok));
        app.MapGet("/hermes_address", HermesAddressOfThisCourier);

        var updates = app.MapGroup(string.Empty).AddEndpointFilter(AnswerBadRequests);
        updates.MapPost("/update_all", UpdateAll);
        updates.MapPost("/update_hermes", UpdateHermes);
        updates.MapPost("/update_from_hermes_directory", UpdateFromHermesDirectory);
        updates.MapPost("/update_from_git", UpdateFromGit);
        updates.MapPost("/gitlab_web_hook", GitLabWebHook);
        return app;
    }

    private static IResult Welcome() =>
        Results.Text($"Welcome to courier.\nenv={Environment.GetEnvironmentVariable("MICROSERVICE_ENV")}\napp_id={Environment.GetEnvironmentVariable("MICROSERVICE_APP_ID")}\n");

    private static IResult HermesAddressOfThisCourier(IOptions<CourierOptions> options)
    {
        var settings = options.Value;
        return string.IsNullOrEmpty(settings.SshAddress)
            ? Results.Text("Courier:SshAddress is not set: this Courier does not advertise an SSH address to receive configuration on.", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new HermesAddress(settings.SshAddress, settings.HermesDirectory));
    }

    private static async Task<IResult> UpdateAll(HttpContext context, CourierUpdater updater) =>
        Answer(context, await updater.UpdateAsync(UpdateTrigger.All, context.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> UpdateHermes(HttpContext context, CourierUpdater updater)
    {
        var body = (await RequestBody.ReadAsync(context.Request, required: true, context.RequestAborted).ConfigureAwait(false))!.RequireObject();
        HermesAddress target;
        try
        {
            target = HermesAddress.Parse(body.GetString("ssh", required: true), body.GetString("path", required: true));
        }
        catch (ArgumentException e)
        {
            throw new BadRequestException(e.Message);
        }

        return Answer(context, await updater.UpdateHermesAsync(target, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> UpdateFromHermesDirectory(HttpContext context, CourierUpdater updater)
    {
        var body = await RequestBody.ReadAsync(context.Request, required: false, context.RequestAborted).ConfigureAwait(false);
        var subdirectory = body?.GetString("subdirectory", required: false);
        return Answer(context, await updater.UpdateAsync(UpdateTrigger.HermesDirectory(subdirectory), context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> UpdateFromGit(HttpContext context, CourierUpdater updater)
    {
        var body = (await RequestBody.ReadAsync(context.Request, required: true, context.RequestAborted).ConfigureAwait(false))!.RequireObject();
        var url = body.GetString("url", required: true)!;
        var branch = body.GetString("branch", required: false) ?? "master";
        return Answer(context, await updater.UpdateAsync(UpdateTrigger.GitPush(url, branch), context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> GitLabWebHook(HttpContext context, UpdateQueue queue, IOptions<CourierOptions> options, ILogger<UpdateQueue> logger)
    {
        if (options.Value.GitLabToken is { Length: > 0 } token && !TokenMatches(context.Request.Headers["X-Gitlab-Token"].ToString(), token))
        {
            LogHookRefused(logger);
            return Results.Text("The X-Gitlab-Token header does not match Courier:GitLabToken.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var body = (await RequestBody.ReadAsync(context.Request, required: true, context.RequestAborted).ConfigureAwait(false))!;
        var push = GitLabPushEvent.Parse(body.Root, context.Request.Headers["X-Gitlab-Event"].ToString());
        switch (push.Kind)
        {
            case GitLabHookKind.Invalid:
                throw new BadRequestException($"Not a GitLab push event: {push.Reason}");
            case GitLabHookKind.Ignored:
                LogHookIgnored(logger, push.Reason!);
                return Results.Text($"ignored: {push.Reason}");
            default:
                if (!queue.TryEnqueue($"GitLab push of {push.Branch} to {push.RepositoryUrls[0]}", push.Triggers))
                {
                    context.Response.Headers.RetryAfter = "5";
                    return Results.Text("Too many deliveries are waiting; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
                }

                LogHookQueued(logger, push.RepositoryUrls[0], push.Branch!);
                return Results.Text("queued", statusCode: StatusCodes.Status202Accepted);
        }
    }

    /// <summary>Plain clients (an Armada agent compares the body with "ok") get the original's text; others may ask for the report.</summary>
    private static IResult Answer(HttpContext context, UpdateReport report)
    {
        var status = report.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
        context.Response.Headers[UpdateIdHeader] = report.Id;
        var wantsJson = context.Request.Headers.Accept.Any(value => value?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        return wantsJson
            ? Results.Json(report, ReportJson, statusCode: status)
            : Results.Text(report.Succeeded ? Ok : Failure, statusCode: status);
    }

    private static async ValueTask<object?> AnswerBadRequests(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (BadRequestException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static bool TokenMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitLab web hook refused: wrong or missing X-Gitlab-Token")]
    private static partial void LogHookRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitLab web hook ignored: {Reason}")]
    private static partial void LogHookIgnored(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitLab web hook queued a delivery of {Repository} branch {Branch}")]
    private static partial void LogHookQueued(ILogger logger, string repository, string branch);
}
