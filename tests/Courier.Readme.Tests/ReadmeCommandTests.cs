using Xunit.Abstractions;

namespace Courier.Readme.Tests;

/// <summary>
/// Every command README.md shows is run by CI: by <c>.ci/run</c> or a script it runs (<see cref="Repository.RunnerScripts"/>),
/// or by a test. Commands are the words of the README's <c>bash</c>/<c>sh</c>/<c>shell</c>/<c>console</c> blocks;
/// commands in prose are not shown that way on purpose. What "the same command" means is
/// <see cref="CommandShape"/>'s rule (values and paths outside the repository are placeholders). A command not in a
/// script is run by a test project when the project's string literals (with the kit's, <c>tests/Courier.Testing</c>)
/// name its program, its words, options and variables (<c>Courier__X__Y</c> as <c>Courier:X:Y</c> too), as
/// <c>["plugins", "install", "--source", ...]</c> does. A curl call must reach a route the host maps for its method
/// and be made by a script's curl (same method and path) or by a test project that runs the host (references
/// <c>src/Courier.Host</c>) and names the path in its own sources (the
/// kit's route literals are its emulators' routes) and its header values (its own or the kit's request helpers').
/// </summary>
public sealed class ReadmeCommandTests(ITestOutputHelper output)
{
    /// <summary>The README's commands, as their text (for the test's name) and their index.</summary>
    public static TheoryData<string, int> ReadmeCommands()
    {
        var data = new TheoryData<string, int>();
        var commands = Repository.ReadmeCommands(Repository.Readme);
        for (var i = 0; i < commands.Count; i++)
        {
            data.Add(string.Join(' ', commands[i]), i);
        }

        return data;
    }

    [Fact]
    public void The_README_shows_shell_commands() => Assert.True(ReadmeCommands().Count >= 10, "README.md has (almost) no shell blocks: did the fences lose their bash marks?");

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
    [MemberData(nameof(ReadmeCommands))]
    public void Is_run_by_CI_or_a_test(string command, int index)
    {
        var words = Repository.ReadmeCommands(Repository.Readme)[index];
        var runner = RunnerOf(words);
        Assert.True(runner is not null, $"README.md shows `{command}`, which no script of {string.Join(", ", Repository.RunnerScripts)} and no test runs");
        output.WriteLine($"run by {runner}");
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
