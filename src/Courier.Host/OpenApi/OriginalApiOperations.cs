using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Courier.Host.OpenApi;

/// <summary>
/// Bodies and answers of the original Courier's routes, which read their bodies themselves, and of <c>/release</c>,
/// which answers as they do.
/// </summary>
internal static class OriginalApiOperations
{
    private static readonly HashSet<string> UpdateRoutes = ["update_all", "update_hermes", "update_from_git", "update_from_hermes_directory", "release", "rollback"];

    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = context.Description.RelativePath ?? string.Empty;
        switch (route)
        {
            case "":
                operation.Summary = "Welcome text with env= and app_id=";
                operation.Responses = new OpenApiResponses { ["200"] = Text("Welcome to courier.") };
                return;
            case "health":
                operation.Summary = "Liveness: the text ok (Armada and the original Courier read it)";
                operation.Responses = new OpenApiResponses { ["200"] = Text("ok") };
                return;
            case "hermes_address":
                operation.Summary = "Where other Couriers push to: this machine's SSH address and hermes directory";
                operation.Responses = new OpenApiResponses
                {
                    ["200"] = Json("The hermes address", Object(("ssh", "HOST:PORT"), ("path", "the hermes directory"))),
                    ["503"] = Text("Courier:SshAddress is not set"),
                };
                return;
            case "gitlab_web_hook":
                operation.Summary = "GitLab push event: queued and delivered in the background";
                operation.RequestBody = Body("A GitLab push event (X-Gitlab-Event: Push Hook)", required: true, Object(("ref", "refs/heads/BRANCH"), ("repository", "an object with url, git_ssh_url, git_http_url")));
                operation.Responses = new OpenApiResponses
                {
                    ["202"] = Text("queued"),
                    ["200"] = Text("ignored: why (tags and other events)"),
                    ["400"] = Text("not a GitLab push event"),
                    ["401"] = Text("X-Gitlab-Token does not match Courier:GitLabToken"),
                    ["503"] = Text("too many deliveries are waiting"),
                };
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CourierOpenApi.GitLabTokenScheme, context.Document)] = [] }];
                return;
        }

        if (!UpdateRoutes.Contains(route))
        {
            return;
        }

        operation.Summary = route switch
        {
            "update_all" => "Every source to its destinations",
            "update_hermes" => "Every source to one hermes address, with the host's SSH login",
            "update_from_git" => "The git sources of a repository and branch",
            "release" => "Releases a held source and updates it (only it) at once, delivering its newest revision",
            "rollback" => "Delivers a kept revision of a source (by default the one before the current) to every target, through its waves, and holds the source",
            _ => "The hermes-directory sources of a subdirectory (no body: the one without subdirectory)",
        };
        operation.RequestBody = route switch
        {
            "update_hermes" => Body("The hermes address", required: true, Object(("ssh", "HOST:PORT"), ("path", "an absolute path"))),
            "update_from_git" => Body("The repository and branch (default master)", required: true, Object(("url", "ci@git.example.com:group/repo.git"), ("branch", "master"))),
            "update_from_hermes_directory" => Body("The subdirectory", required: false, Object(("subdirectory", "to-upload"))),
            "release" => Body("The held source", required: true, Object(("source", "a source id, or a destination path (every held source landing there)"))),
            "rollback" => Body("The source, and the revision to go back to", required: true, Object(("source", "a source id, or the destination path of one source"), ("revision", "optional: a kept revision (default: the one before the current)"))),
            _ => null,
        };
        if (route is not ("update_hermes" or "release" or "rollback"))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "dry_run",
                In = ParameterLocation.Query,
                Required = false,
                Description = "true: pull and validate, then answer what a delivery would change at every target, changing nothing (the report has dry_run, and per delivery changes and current_revision)",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
            });
        }

        var report = await context.GetOrCreateSchemaAsync(typeof(UpdateReport), null, cancellationToken).ConfigureAwait(false);
        var updateId = new Dictionary<string, IOpenApiHeader>
        {
            ["X-Courier-Update-Id"] = new OpenApiHeader { Description = "The update's id: GET /reports/{id}", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        operation.Responses = new OpenApiResponses
        {
            ["200"] = TextOrReport("ok, or the report for Accept: application/json", "ok", report, updateId),
            ["400"] = Text("the body is malformed: what is wrong"),
            ["500"] = TextOrReport("something failed, or the report for Accept: application/json", "There were errors. Check logs for details.", report, updateId),
        };
        if (route == "release")
        {
            operation.Responses["400"] = Text("the body is malformed, or no source has that id or destination path: what is wrong");
            operation.Responses["409"] = Text("the source is not held: nothing to release");
        }

        if (route == "rollback")
        {
            operation.Responses["400"] = Text("the body is malformed, or no source (or several) has that id or destination path: what is wrong");
            operation.Responses["409"] = Text("Courier keeps no such revision of the source: which it keeps");
        }
    }

    private static OpenApiResponse Text(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
    };

    private static OpenApiResponse Json(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static OpenApiResponse TextOrReport(string description, string text, IOpenApiSchema report, Dictionary<string, IOpenApiHeader> headers) => new()
    {
        Description = description,
        Headers = headers,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = text } },
            ["application/json"] = new() { Schema = report },
        },
    };

    private static OpenApiRequestBody Body(string description, bool required, IOpenApiSchema schema) => new()
    {
        Description = description,
        Required = required,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static OpenApiSchema Object(params (string Name, string Description)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.String, Description = p.Description }),
    };
}
