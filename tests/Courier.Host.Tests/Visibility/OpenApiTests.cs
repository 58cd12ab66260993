using Microsoft.OpenApi;

namespace Courier.Host.Tests.Visibility;

/// <summary><c>GET /openapi/v1.json</c> is valid OpenAPI and describes every route the host serves.</summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private static readonly (string Method, string Path)[] Routes =
    [
        ("GET", "/"), ("GET", "/health"), ("GET", "/hermes_address"),
        ("POST", "/update_all"), ("POST", "/update_hermes"), ("POST", "/update_from_git"), ("POST", "/update_from_hermes_directory"),
        ("POST", "/gitlab_web_hook"), ("POST", "/hold"), ("POST", "/release"),
        ("GET", "/reports"), ("GET", "/reports/{id}"), ("GET", "/status"), ("GET", "/health/ready"), ("GET", "/metrics"),
    ];

    private HermesSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await HermesSetup.CreateAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task The_document_is_valid_openapi_and_describes_every_route_its_bodies_answers_and_authentication()
    {
        await using var host = await _setup.StartHostAsync();
        var json = await host.Client.GetStringAsync("/openapi/v1.json");

        var read = OpenApiDocument.Parse(json, "json");

        Assert.True(read.Diagnostic is null || read.Diagnostic.Errors.Count == 0, string.Join("\n", read.Diagnostic?.Errors.Select(e => e.ToString()) ?? []));
        var document = read.Document!;
        foreach (var (method, path) in Routes)
        {
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is missing from the document");
            Assert.True(item.Operations!.ContainsKey(new HttpMethod(method)), $"{method} {path} is missing from the document");
        }

        var updateHermes = document.Paths["/update_hermes"].Operations![HttpMethod.Post];
        Assert.True(updateHermes.RequestBody!.Required);
        Assert.Contains("ssh", updateHermes.RequestBody.Content!["application/json"].Schema!.Properties!.Keys);
        Assert.Contains("application/json", updateHermes.Responses!["500"].Content!.Keys);
        Assert.Contains("X-Courier-Update-Id", updateHermes.Responses["200"].Headers!.Keys);
        var report = updateHermes.Responses["200"].Content!["application/json"].Schema!;
        Assert.Contains("sources", report.Properties!.Keys);
        Assert.Contains("id", report.Properties.Keys);
        var hold = document.Paths["/hold"].Operations![HttpMethod.Post];
        Assert.True(hold.RequestBody!.Required);
        Assert.Contains("source", hold.RequestBody.Content!["application/json"].Schema!.Properties!.Keys);
        Assert.Contains("reason", hold.RequestBody.Content["application/json"].Schema!.Properties!.Keys);
        Assert.Contains("held", hold.Responses!["200"].Content!["application/json"].Schema!.Properties!.Keys);
        Assert.Contains("text/plain", hold.Responses["400"].Content!.Keys);
        var release = document.Paths["/release"].Operations![HttpMethod.Post];
        Assert.Contains("source", release.RequestBody!.Content!["application/json"].Schema!.Properties!.Keys);
        Assert.Contains("409", release.Responses!.Keys);
        Assert.Contains("X-Courier-Update-Id", release.Responses["200"].Headers!.Keys);
        Assert.Contains("held", report.Properties["sources"].Items!.Properties!.Keys);
        Assert.Contains("404", document.Paths["/reports/{id}"].Operations![HttpMethod.Get].Responses!.Keys);
        Assert.Contains("503", document.Paths["/health/ready"].Operations![HttpMethod.Get].Responses!.Keys);
        var hook = document.Paths["/gitlab_web_hook"].Operations![HttpMethod.Post];
        Assert.Equal("gitlab_token", Assert.Single(Assert.Single(hook.Security!).Keys).Reference.Id);
        Assert.Equal("X-Gitlab-Token", document.Components!.SecuritySchemes!["gitlab_token"].Name);
        Assert.Equal("Courier", document.Info.Title);
    }
}
