using System.Reflection;
using System.Text.RegularExpressions;

namespace Courier.Readme.Tests;

/// <summary>The repository as this test reads it: the shell blocks and links of README.md and docs/*.md, what CI and the scripts run, what each test project names, the host's routes.</summary>
internal static partial class Repository
{
    /// <summary>What CI runs: <c>.ci/run</c> and the scripts it and the tests call.</summary>
    public static readonly IReadOnlyList<string> RunnerScripts = [".ci/run", "scripts/quickstart.sh", "scripts/test.sh", "scripts/template-e2e.sh"];

    public static string Root { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Readme => File.ReadAllText(Path.Combine(Root, "README.md"));

    /// <summary>The documents whose commands and links are checked: README.md, then every <c>docs/*.md</c>, as paths relative to the root.</summary>
    public static IReadOnlyList<string> Documents { get; } =
        ["README.md", .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(file => "docs/" + Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    /// <summary>The text of <paramref name="document"/>, a path of <see cref="Documents"/>.</summary>
    public static string Text(string document) => File.ReadAllText(Path.Combine(Root, document));

    /// <summary>The fenced blocks of <paramref name="markdown"/> marked <c>bash</c>, <c>sh</c>, <c>shell</c> or <c>console</c>, in order.</summary>
    public static IReadOnlyList<string> ShellBlocks(string markdown)
    {
        var blocks = new List<string>();
        foreach (Match block in FencedBlock().Matches(markdown.ReplaceLineEndings("\n")))
        {
            if (block.Groups["info"].Value.Trim() is "bash" or "sh" or "shell" or "console")
            {
                blocks.Add(block.Groups["body"].Value);
            }
        }

        return blocks;
    }

    /// <summary>Every command of the README's shell blocks (a <c>$(...)</c> inside one is a value there, not a command).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ReadmeCommands(string markdown) =>
        ShellBlocks(markdown).SelectMany(block => ShellText.Commands(block, includeSubstitutions: false)).ToList();

    /// <summary>Every command the runner scripts run, with the script that runs it.</summary>
    public static IReadOnlyList<(string Script, IReadOnlyList<string> Words)> ScriptCommands() => LazyScriptCommands.Value;

    private static readonly Lazy<IReadOnlyList<(string Script, IReadOnlyList<string> Words)>> LazyScriptCommands = new(() =>
        RunnerScripts.SelectMany(script => ShellText.Commands(File.ReadAllText(Path.Combine(Root, script))).Select(words => (script, words))).ToList());

    /// <summary>
    /// Per test project, the string literals it names: in its own sources, and with those of the kit it references
    /// (<c>tests/Courier.Testing</c>: the host process, its environment, the request helpers).
    /// </summary>
    public static IReadOnlyList<TestProject> TestProjects() => LazyTestProjects.Value;

    private static readonly Lazy<IReadOnlyList<TestProject>> LazyTestProjects = new(() =>
    {
        var testsDirectory = Path.Combine(Root, "tests");
        var kit = Literals(Path.Combine(testsDirectory, "Courier.Testing"));
        return Directory.GetDirectories(testsDirectory)
            .Select(directory => Path.GetFileName(directory))
            .Where(name => name.EndsWith(".Tests", StringComparison.Ordinal) && name != typeof(Repository).Assembly.GetName().Name)
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                var own = Literals(Path.Combine(testsDirectory, name));
                var runsTheHost = File.ReadAllText(Path.Combine(testsDirectory, name, name + ".csproj")).Contains("Courier.Host.csproj", StringComparison.Ordinal);
                return new TestProject(name, own, own.Union(kit).ToHashSet(StringComparer.Ordinal), runsTheHost);
            })
            .ToList();
    });

    /// <summary>The host's routes, as (method, template), read from the <c>Map*</c> calls in <c>src/Courier.Host</c>.</summary>
    public static IReadOnlyList<(string Method, string Template)> HostRoutes()
    {
        var routes = new List<(string, string)>();
        foreach (var file in SourceFiles(Path.Combine(Root, "src", "Courier.Host")))
        {
            var code = File.ReadAllText(file);
            routes.AddRange(MapCall().Matches(code).Select(m => (m.Groups["verb"].Value is "Post" ? "POST" : "GET", m.Groups["route"].Value)));
            if (code.Contains(".MapOpenApi()", StringComparison.Ordinal))
            {
                routes.Add(("GET", "/openapi/{documentName}.json"));
            }

            // The hook routes are built from the providers' names: every route literal of that file is a POST.
            if (Path.GetFileName(file) == "WebHookApi.cs")
            {
                routes.AddRange(StringLiteral().Matches(code).Select(m => m.Groups["text"].Value).Where(s => s.StartsWith('/')).Select(route => ("POST", route)));
            }
        }

        return routes;
    }

    /// <summary>Whether a route template (<c>/reports/{id}</c>), or a path with a query, matches <paramref name="path"/>.</summary>
    public static bool RouteMatches(string template, string path)
    {
        var pattern = "^" + Placeholder().Replace(Regex.Escape(template.Split('?')[0]).Replace("\\{", "{", StringComparison.Ordinal), "[^/]+") + "$";
        return Regex.IsMatch(path, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    private static HashSet<string> Literals(string directory) =>
        SourceFiles(directory).SelectMany(file => StringLiteral().Matches(File.ReadAllText(file)).Select(m => m.Groups["text"].Value)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^```(?<info>[^\n]*)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"\.Map(?<verb>Get|Post|PrometheusScrapingEndpoint)\(\s*""(?<route>/[^""]*)""")]
    private static partial Regex MapCall();

    [GeneratedRegex(@"\$?@?""(?<text>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}/]+\\?}")]
    private static partial Regex Placeholder();
}

/// <summary>A test project, the string literals it names, and whether it runs the host (references its project).</summary>
internal sealed record TestProject(string Name, IReadOnlySet<string> Own, IReadOnlySet<string> WithKit, bool RunsTheHost);
