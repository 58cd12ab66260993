using System.Reflection;
using System.Text.RegularExpressions;

namespace Courier.Core.Tests.Readme;

/// <summary>
/// The package README's C# example is <see cref="ReadmeExample"/>, which this project compiles: a README edit that
/// would no longer compile, or an API change that breaks the example, fails here.
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private const string BeginMarker = "// The README's example begins.";
    private const string EndMarker = "// The README's example ends.";

    private static readonly string Root =
        typeof(ReadmeExampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void The_package_readme_shows_the_example_this_project_compiles()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "src", "Courier.Core", "README.md")).ReplaceLineEndings("\n");
        var shown = Assert.Single(CSharpBlock().Matches(readme)).Groups["body"].Value;

        var source = File.ReadAllLines(Path.Combine(Root, "tests", "Courier.Core.Tests", "Readme", "ReadmeExample.cs"));
        var usings = source.TakeWhile(line => !line.StartsWith("namespace ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("using ", StringComparison.Ordinal));
        var body = source.SkipWhile(line => line.Trim() != BeginMarker).Skip(1).TakeWhile(line => line.Trim() != EndMarker).ToList();
        Assert.True(body.Count > 0, $"ReadmeExample.cs lost its markers ({BeginMarker} / {EndMarker})");

        Assert.Equal(Normalised(string.Join('\n', usings.Concat(body))), Normalised(shown));
    }

    private static string Normalised(string code) => Whitespace().Replace(code, " ").Trim();

    [GeneratedRegex(@"^```csharp\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
