using Courier.Core;
using Courier.Core.History;
using Courier.Core.Updates;
using Courier.Host.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Courier.Host.Api;

/// <summary>The original Courier's HTTP API, answer for answer.</summary>
internal static class CourierApi
{
    public const string Ok = "ok";
    public const string Failure = "There were errors. Check logs for details.";
    public const string UpdateIdHeader = "X-Courier-Update-Id";

    public static IEndpointRouteBuilder MapCourierApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Welcome);
        app.MapGet("/health", () => Results.Text(Ok));
        app.MapGet("/hermes_address", HermesAddressOfThisCourier);

        var apiBodyLimit = app.ServiceProvider.GetRequiredService<IOptions<CourierHostOptions>>().Value.Api.MaxBodyBytes;
        var updates = app.MapGroup(string.Empty)
            .AddEndpointFilter(AnswerBadRequests)
            .RequireAuthorization(CourierSecurityExtensions.CallerPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(apiBodyLimit));
        updates.MapPost("/update_all", UpdateAll);
        updates.MapPost("/update_hermes", UpdateHermes);
        updates.MapPost("/update_from_hermes_directory", UpdateFromHermesDirectory);
        updates.MapPost("/update_from_git", UpdateFromGit);
        updates.MapHoldApi();
        updates.MapRollbackApi();
        app.MapWebHooks();
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
        Answer(context, await UpdateOrDryRunAsync(context, updater, UpdateTrigger.All).ConfigureAwait(false));

    /// <summary><c>?dry_run=true</c>: the same pull and validation, then what each target would change, changing nothing.</summary>
    private static Task<UpdateReport> UpdateOrDryRunAsync(HttpContext context, CourierUpdater updater, UpdateTrigger trigger) =>
        IsDryRun(context)
            ? updater.DryRunAsync([trigger], context.RequestAborted)
            : updater.UpdateAsync(trigger, context.RequestAborted);

    internal static bool IsDryRun(HttpContext context)
    {
        var values = context.Request.Query["dry_run"];
        if (values.Count == 0)
        {
            return false;
        }

        var value = values[^1];
        return value switch
        {
            _ when string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1" => true,
            _ when string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) || value == "0" => false,
            _ => throw new BadRequestException($"dry_run must be true or false, not \"{value}\"."),
        };
    }

    private static async Task<IResult> UpdateHermes(HttpContext context, CourierUpdater updater, HermesTargetPolicy policy)
    {
        if (IsDryRun(context))
        {
            // Never a real delivery for a caller who asked for none.
            throw new BadRequestException("/update_hermes has no dry run; use /update_all?dry_run=true.");
        }

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

        var check = await policy.CheckAsync(target, context.RequestAborted).ConfigureAwait(false);
        if (check.Address is null)
        {
            throw new BadRequestException(
                check.Message!,
                check.Refusal == HermesTargetRefusal.ForbiddenTarget ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
        }

        return Answer(context, await updater.UpdateHermesAsync(check.Address, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> UpdateFromHermesDirectory(HttpContext context, CourierUpdater updater)
    {
        var body = await RequestBody.ReadAsync(context.Request, required: false, context.RequestAborted).ConfigureAwait(false);
        var subdirectory = body?.GetString("subdirectory", required: false);
        return Answer(context, await UpdateOrDryRunAsync(context, updater, UpdateTrigger.HermesDirectory(subdirectory)).ConfigureAwait(false));
    }

    private static async Task<IResult> UpdateFromGit(HttpContext context, CourierUpdater updater)
    {
        var body = (await RequestBody.ReadAsync(context.Request, required: true, context.RequestAborted).ConfigureAwait(false))!.RequireObject();
        var url = body.GetString("url", required: true)!;
        var branch = body.GetString("branch", required: false) ?? "master";
        return Answer(context, await UpdateOrDryRunAsync(context, updater, UpdateTrigger.GitPush(url, branch)).ConfigureAwait(false));
    }

    /// <summary>Plain clients (an Armada agent compares the body with "ok") get the original's text; others may ask for the report.</summary>
    internal static IResult Answer(HttpContext context, UpdateReport report)
    {
        var status = report.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
        context.Response.Headers[UpdateIdHeader] = report.Id;
        var wantsJson = context.Request.Headers.Accept.Any(value => value?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        if (wantsJson)
        {
            return Results.Json(report, UpdateReportJson.Options, statusCode: status);
        }

        return report.DryRun
            ? Results.Text(DryRunText.Describe(report), statusCode: status)
            : Results.Text(report.Succeeded ? Ok : Failure, statusCode: status);
    }

    internal static async ValueTask<object?> AnswerBadRequests(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (BadRequestException e)
        {
            return Results.Text(e.Message, statusCode: e.StatusCode);
        }
    }
}
