using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Courier.Host.OpenApi;

/// <summary>
/// <c>GET /openapi/v1.json</c>, generated from the endpoints. The original's update routes read their bodies
/// themselves and answer text or a report by <c>Accept</c>, so <see cref="OriginalApiOperations"/> adds their
/// bodies and answers; the Prometheus exporter's <c>/metrics</c> is added here.
/// </summary>
internal static class CourierOpenApi
{
    public const string GitLabTokenScheme = "gitlab_token";

    public static IServiceCollection AddCourierOpenApi(this IServiceCollection services)
    {
        // The reports' JSON is snake_case: the generated schemas follow the same policy.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Courier",
                    Version = "v1",
                    Description = "Delivers configuration from git or the hermes directory with rsync over SSH. The update routes are the original Courier's: text ok or 500 for plain clients, the report as JSON for Accept: application/json.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[GitLabTokenScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Gitlab-Token",
                    Description = "The secret of the GitLab web hook; required when Courier:GitLabToken is set.",
                };
                document.Paths ??= [];
                document.Paths["/metrics"] = MetricsPath();
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(OriginalApiOperations.DescribeAsync);
        });
        return services;
    }

    private static OpenApiPathItem MetricsPath() => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = "The Courier meter in the Prometheus text format",
                Tags = new HashSet<OpenApiTagReference> { new("Courier.Host") },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse
                    {
                        Description = "OK",
                        Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                    },
                },
            },
        },
    };
}
