using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Core.Cluster;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Courier.Host.Cluster;
using Courier.Host.Status;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.Host.Api;

/// <summary>What Courier did: the report history (<c>/reports</c>) and the state of every source and target (<c>/status</c>).</summary>
internal static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports", ListReports)
            .WithSummary("The report history, newest first")
            .WithDescription("Pages with limit (1 to 500, default 50) and before (the next value of the previous page); filters by source (id or a part of it), outcome (succeeded or failed) and trigger (all, git, hermes-directory, update_hermes, source, or a part of the trigger text).");
        app.MapGet("/reports/{id}", GetReport).WithSummary("One update's report");
        app.MapGet("/status", GetStatus)
            .WithSummary("The last pull of every source and the last delivery to every target")
            .WithDescription("JSON for Accept: application/json (with each held source's hold, and every hold in holds); an HTML page (refreshing itself) otherwise.");
        return app;
    }

    private static async Task<Results<JsonHttpResult<ReportPage>, ProblemHttpResult>> ListReports(
        IReportStore store,
        CancellationToken cancellationToken,
        int? limit = null,
        string? before = null,
        string? source = null,
        string? outcome = null,
        string? trigger = null)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.Problem($"limit must be from 1 to 500, got {limit}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (before is not null && !UpdateIds.IsValid(before))
        {
            return TypedResults.Problem($"before must be an update id such as 20260101T120000123Z-1a2b3c4d, got \"{before}\".", statusCode: StatusCodes.Status400BadRequest);
        }

        if (outcome is not null && outcome is not ("succeeded" or "failed"))
        {
            return TypedResults.Problem($"outcome must be succeeded or failed, got \"{outcome}\".", statusCode: StatusCodes.Status400BadRequest);
        }

        var page = await store.ListAsync(new ReportQuery(limit ?? 50, before, source, outcome, trigger), cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(page, UpdateReportJson.Options);
    }

    private static async Task<Results<JsonHttpResult<UpdateReport>, NotFound<string>>> GetReport(string id, IReportStore store, CancellationToken cancellationToken)
    {
        // An invalid id is simply unknown: it never reaches the file system.
        var report = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return report is null ? TypedResults.NotFound($"No report {id}.") : TypedResults.Json(report, UpdateReportJson.Options);
    }

    private static async Task<Results<JsonHttpResult<CourierStatus>, JsonHttpResult<JsonObject>, ContentHttpResult, ProblemHttpResult>> GetStatus(
        HttpContext context,
        IReportStore store,
        ISourceHolds holds,
        IClusterMembership membership,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<SourceHold> held;
        try
        {
            held = await holds.AllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HoldStateException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError);
        }

        var status = StatusBuilder.Build(await store.AllAsync(cancellationToken).ConfigureAwait(false), held, time.GetUtcNow());
        var wantsJson = context.Request.Headers.Accept.Any(value => value?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        context.Response.Headers.Vary = "Accept";
        // A cluster member adds its cluster; a single node answers exactly as before.
        var cluster = await ClusterStatus.ReadAsync(membership, cancellationToken).ConfigureAwait(false);
        if (!wantsJson)
        {
            return TypedResults.Content(StatusPage.Render(status, cluster), "text/html; charset=utf-8");
        }

        return cluster is not null
            ? TypedResults.Json(cluster.AddTo(JsonSerializer.SerializeToNode(status, UpdateReportJson.Options)!.AsObject(), UpdateReportJson.Options), UpdateReportJson.Options)
            : TypedResults.Json(status, UpdateReportJson.Options);
    }
}
