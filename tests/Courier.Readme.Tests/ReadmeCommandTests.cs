using Xunit.Abstractions;

namespace Courier.Readme.Tests;

/// <summary>
/// Every command README.md and the documents of <c>docs/</c> show (<see cref="Repository.Documents"/>) is run by CI: by <c>.ci/run</c> or a script it runs (<see cref="Repository.RunnerScripts"/>),
/// or by a test. Commands are the words of the README's <c>bash</c>/<c>sh</c>/<c>shell</c>/<c>console</c> blocks;
/// commands in prose are not shown that way on purpose. What "the same command" means is
/// <see cref="CommandShape"/>'s rule (values and paths outside the repository are placeholders). A command not in a
/// script is run by a test project when the project's string literals (with the kit's, <c>tests/Courier.Testing</c>)
/// name its program, its words, options and variables (<c>Courier__X__Y</c> as <c>Courier:X:Y</c> too), as
/// <c>["plugins", "install", "--source", ...]</c> does. A curl call must reach a route the host maps for its method
/// and be made by a script's curl (same method and path) or by a test project that runs the host (references
/// <c>src/Courier.Host</c>) and names the path in its own sources (the
/// kit's route literals are its emulators' routes) and its header values (its own or the kit's request helpers').
/// Every link of those documents that stays in the repository leads to a file, and to an anchor of it
/// (<see cref="MarkdownLinks"/>), and README.md links to every document of <c>docs/</c>.
/// </summary>
public sealed class ReadmeCommandTests(ITestOutputHelper output)
{
    /// <summary>The documents' commands, as their document, their text (for the test's name) and their index in it.</summary>
    public static TheoryData<string, string, int> DocumentCommands()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var document in Repository.Documents)
        {
            var commands = Repository.ReadmeCommands(Repository.Text(document));
            for (var i = 0; i < commands.Count; i++)
            {
                data.Add(document, string.Join(' ', commands[i]), i);
            }
        }

        return data;
    }

    /// <summary>The documents' links that stay in the repository, with their document.</summary>
    public static TheoryData<string, string> DocumentLinks()
    {
        var data = new TheoryData<string, string>();
        foreach (var document in Repository.Documents)
        {
            foreach (var target in MarkdownLinks.Targets(Repository.Text(document)).Distinct(StringComparer.Ordinal))
            {
                data.Add(document, target);
            }
        }

        return data;
    }

    [Fact]
    public void The_documents_show_shell_commands()
    {
        Assert.True(Repository.Documents.Count >= 2, "no docs/*.md found beside README.md");
        Assert.True(DocumentCommands().Count >= 10, "README.md and docs/ have (almost) no shell blocks: did the fences lose their bash marks?");
        Assert.All(new[] { "docs/operating.md", "docs/plugins.md", "docs/performance.md" }, document =>
            Assert.True(Repository.ReadmeCommands(Repository.Text(document)).Count > 0, $"{document} shows no shell command: did its fences lose their bash marks?"));
    }

    [Fact]
    public void The_first_commands_are_the_quickstart_and_the_test_suite_and_CI_runs_them_in_that_order_first()
    {
        var setUp = ShellText.Commands(Repository.ShellBlocks(Repository.Readme)[0]).Select(Shape).ToList();
        Assert.Equal(["scripts/quickstart.sh", "scripts/test.sh"], setUp.Select(c => c!.Program));

        var ci = ShellText.Commands(File.ReadAllText(Path.Combine(Repository.Root, ".ci", "run"))).Select(Shape).OfType<CommandShape>()
            .Where(c => c.Program.StartsWith("scripts/", StringComparison.Ordinal)).ToList();
        Assert.True(ci.Count >= 2 && setUp[0]!.IsRunBy(ci[0]) && setUp[1]!.IsRunBy(ci[1]), $".ci/run must run the README's two commands first, in order; it runs: {string.Join("; ", ci)}");
    }

    [Theory]
    [MemberData(nameof(DocumentCommands))]
    public void Is_run_by_CI_or_a_test(string document, string command, int index)
    {
        var words = Repository.ReadmeCommands(Repository.Text(document))[index];
        var runner = RunnerOf(words);
        Assert.True(runner is not null, $"{document} shows `{command}`, which no script of {string.Join(", ", Repository.RunnerScripts)} and no test runs");
        output.WriteLine($"run by {runner}");
    }

    [Theory]
    [MemberData(nameof(DocumentLinks))]
    public void Leads_to_a_file_and_anchor_that_exist(string document, string target)
    {
        var broken = MarkdownLinks.Broken(document, target, Repository.Root);
        Assert.True(broken is null, $"{document} links to {broken}");
    }

    [Fact]
    public void The_README_links_to_every_document_of_docs()
    {
        var linked = MarkdownLinks.Targets(Repository.Readme).Select(target => target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(Repository.Documents.Skip(1), document => Assert.True(linked.Contains(document), $"README.md does not link to {document}: a newcomer never finds it"));
    }

    [Fact]
    public void A_link_that_leads_nowhere_is_caught_and_named()
    {
        Assert.Null(MarkdownLinks.Broken("docs/settings.md", "operating.md#seeing-what-courier-did", Repository.Root));
        Assert.Null(MarkdownLinks.Broken("docs/operating.md", "#openapi", Repository.Root));
        Assert.Null(MarkdownLinks.Broken("docs/operating.md", "../deploy/courier.service", Repository.Root));
        Assert.Contains("has no #seeing-what-courier-did", MarkdownLinks.Broken("README.md", "#seeing-what-courier-did", Repository.Root));
        Assert.Contains("there is no docs/no-such-file.md", MarkdownLinks.Broken("docs/operating.md", "no-such-file.md", Repository.Root));
        Assert.Contains("has no #no-such-heading", MarkdownLinks.Broken("docs/operating.md", "security.md#no-such-heading", Repository.Root));
        Assert.Equal("web-hooks-gitlab-github-gitea", MarkdownLinks.Slug("Web hooks: GitLab, GitHub, Gitea"));
        Assert.Equal("embedding-courier-in-your-own-net-app", MarkdownLinks.Slug("Embedding Courier in your own .NET app"));
        Assert.Equal(["docs/settings.md", "#openapi", "images/status-page.png"],
            MarkdownLinks.Targets("[a](docs/settings.md), [`b`](#openapi), ![c](images/status-page.png), [d](https://example.com), `[e](in-code.md)`\n```\n[f](in-block.md)\n```\n"));
    }

    [Fact]
    public void A_command_no_one_runs_is_caught_and_named()
    {
        Assert.Null(RunnerOf(["dotnet", "publish", "src/Courier.Host", "-c", "Release", "--self-contained"]));
        Assert.Null(RunnerOf(["dotnet", "new", "courier-source", "-n", "Acme.Courier.Example"]));
        Assert.Null(RunnerOf(["Courier__Api__NoSuchSetting=1", "/opt/courier/Courier.Host", "--urls", "http://0.0.0.0:8080"]));
        Assert.Null(RunnerOf(["curl", "-X", "POST", "http://127.0.0.1:8085/update_everything"]));
        Assert.Null(RunnerOf(["curl", "-X", "POST", "http://127.0.0.1:8085/status"]));
        Assert.NotNull(RunnerOf(["dotnet", "publish", "src/Courier.Host", "-c", "Release", "-o", "/opt/courier"]));
    }

    /// <summary>Who runs this README command (a script, or a test project), or null when no one does.</summary>
    private static string? RunnerOf(IReadOnlyList<string> words)
    {
        if (CurlCall.From(words) is { } curl)
        {
            return CurlRunnerOf(curl);
        }

        var shape = CommandShape.From(words, Repository.Root, fromReadme: true);
        if (shape is null)
        {
            return "(nothing to run)";
        }

        var script = Repository.ScriptCommands().FirstOrDefault(run => CommandShape.From(run.Words, Repository.Root, fromReadme: false) is { } runner && shape.IsRunBy(runner));
        if (script.Script is not null)
        {
            return script.Script;
        }

        return Repository.TestProjects().FirstOrDefault(project => shape.LiteralsATestNames().All(any => any.Any(project.WithKit.Contains)))?.Name;
    }

    private static string? CurlRunnerOf(CurlCall curl)
    {
        if (!Repository.HostRoutes().Any(route => route.Method == curl.Method && Repository.RouteMatches(route.Template, curl.Path)))
        {
            return null;
        }

        var script = Repository.ScriptCommands().FirstOrDefault(run =>
            CurlCall.From(run.Words) is { } runner && runner.Method == curl.Method && runner.Path == curl.Path && !curl.HeaderValues.Except(runner.HeaderValues).Any());
        if (script.Script is not null)
        {
            return script.Script;
        }

        return Repository.TestProjects().FirstOrDefault(project => project.RunsTheHost
            && project.Own.Any(literal => literal.StartsWith('/') && Repository.RouteMatches(literal, curl.Path))
            && curl.HeaderValues.All(value => project.WithKit.Any(literal => literal.Contains(value, StringComparison.Ordinal))))?.Name;
    }

    private static CommandShape? Shape(IReadOnlyList<string> words) => CommandShape.From(words, Repository.Root, fromReadme: true);
}
