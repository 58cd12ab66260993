using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Courier.Host.Health;

/// <summary><c>GET /health/ready</c>: the readiness checks as JSON, 200 when all pass, 503 otherwise.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/ready", Ready)
            .WithSummary("Readiness: plugins loaded, state directory writable, hermes directory present, start-up update finished")
            .Produces<Readiness>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<JsonHttpResult<Readiness>> Ready(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadinessChecks.Tag), cancellationToken).ConfigureAwait(false);
        var readiness = new Readiness(
            Status(report.Status),
            report.Entries.ToDictionary(entry => entry.Key, entry => new ReadinessCheck(Status(entry.Value.Status), entry.Value.Description)));
        return TypedResults.Json(readiness, statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

/// <summary>The readiness answer.</summary>
/// <param name="Status">healthy or unhealthy.</param>
/// <param name="Checks">Each check by name.</param>
internal sealed record Readiness(string Status, IReadOnlyDictionary<string, ReadinessCheck> Checks);

/// <summary>One readiness check.</summary>
/// <param name="Status">healthy or unhealthy.</param>
/// <param name="Description">What it found.</param>
internal sealed record ReadinessCheck(string Status, string? Description);
