using System.Text.RegularExpressions;

namespace Courier.Readme.Tests;

/// <summary>
/// What a command must keep to count as "the same command" wherever it is written, the values it is given aside.
/// The normalisation rule (the same for the README and for what runs it):
/// <list type="bullet">
/// <item>a leading <c>sudo</c> is dropped; leading <c>NAME=value</c> assignments keep their names only;</item>
/// <item>the program is the file name of the first word (<c>/opt/courier/Courier.Host</c> and
/// <c>"$work/host/Courier.Host"</c> are both <c>Courier.Host</c>; <c>dotnet X.dll</c> is <c>X</c>), or its path when it
/// is a file of this repository (<c>scripts/test.sh</c>);</item>
/// <item>options (<c>-o</c>, <c>--kind</c>, <c>--x=y</c>) keep their names; the word after an option is its value
/// and is ignored;</item>
/// <item>the other words keep their text when they are plain words (<c>publish</c>, <c>courier-plugin</c>,
/// <c>Courier.Templates</c>, a <c>::version</c> suffix dropped) or paths of this repository (<c>src/Courier.Host</c>);
/// anything else, an absolute path, a URL, JSON, a <c>$VARIABLE</c>, a name of the README's example
/// (<c>Acme.*</c>), is a placeholder that matches any word;</item>
/// <item>in the README, brackets of optional parts (<c>[--version 1.2.0]</c>) are dropped: what they show is run too.</item>
/// </list>
/// A README command is run by a script command with the same program, the same words in the same places, and at
/// least its options and assignments (the script may add its own, such as <c>-nologo</c> or a private template hive).
/// </summary>
internal sealed partial record CommandShape(string Text, string Program, IReadOnlyList<string?> Words, IReadOnlySet<string> Options, IReadOnlySet<string> Variables)
{
    public static CommandShape? From(IReadOnlyList<string> words, string repositoryRoot, bool fromReadme)
    {
        var text = string.Join(' ', words);
        var list = fromReadme ? words.Select(w => w.Trim('[', ']')).Where(w => w.Length > 0).ToList() : words.ToList();
        var variables = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        for (; i < list.Count; i++)
        {
            if (list[i] == "sudo")
            {
                continue;
            }

            var assignment = Assignment().Match(list[i]);
            if (!assignment.Success)
            {
                break;
            }

            variables.Add(assignment.Groups[1].Value);
        }

        if (i == list.Count)
        {
            return null;
        }

        string program;
        if (FileName(list[i]) == "dotnet" && i + 1 < list.Count && list[i + 1].EndsWith(".dll", StringComparison.Ordinal))
        {
            program = FileName(list[i + 1])[..^".dll".Length];
            i += 2;
        }
        else
        {
            program = IsRepositoryPath(list[i], repositoryRoot) ? RelativePath(list[i]) : FileName(list[i]);
            i++;
        }

        var options = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string?>();
        for (; i < list.Count; i++)
        {
            var word = list[i];
            if (word.Length > 1 && word[0] == '-')
            {
                options.Add(word.Split('=')[0]);
                if (!word.Contains('=', StringComparison.Ordinal) && i + 1 < list.Count && !list[i + 1].StartsWith('-'))
                {
                    i++;
                }
            }
            else
            {
                positional.Add(Literal(word, repositoryRoot));
            }
        }

        return new CommandShape(text, program, positional, options, variables);
    }

    /// <summary>Whether <paramref name="runner"/> runs this command, by the rule above.</summary>
    public bool IsRunBy(CommandShape runner) =>
        runner.Program == Program
        && runner.Words.Count == Words.Count
        && Words.Zip(runner.Words).All(pair => pair.First is null || pair.Second is null || pair.First == pair.Second)
        && Options.IsSubsetOf(runner.Options)
        && Variables.IsSubsetOf(runner.Variables);

    /// <summary>What a test must name, as string literals, to run this command: the program, its words, options and variables.</summary>
    public IEnumerable<string[]> LiteralsATestNames()
    {
        yield return [Program, Program + ".dll"];
        foreach (var word in Words.OfType<string>())
        {
            yield return [word];
        }

        foreach (var option in Options)
        {
            yield return [option];
        }

        foreach (var variable in Variables)
        {
            yield return [variable, variable.Replace("__", ":", StringComparison.Ordinal)];
        }
    }

    public override string ToString() => Text;

    private static string? Literal(string word, string repositoryRoot)
    {
        if (IsRepositoryPath(word, repositoryRoot))
        {
            return RelativePath(word);
        }

        var separator = word.IndexOf("::", StringComparison.Ordinal);
        var name = separator > 0 ? word[..separator] : word;
        return PlainWord().IsMatch(name) && !name.StartsWith("Acme.", StringComparison.Ordinal) ? name : null;
    }

    private static bool IsRepositoryPath(string word, string repositoryRoot) =>
        !word.Contains('$', StringComparison.Ordinal) && !Path.IsPathRooted(word) && !word.Contains("://", StringComparison.Ordinal)
        && (File.Exists(Path.Combine(repositoryRoot, word)) || (word.Contains('/', StringComparison.Ordinal) && Directory.Exists(Path.Combine(repositoryRoot, word))));

    private static string RelativePath(string word) => (word.StartsWith("./", StringComparison.Ordinal) ? word[2..] : word).TrimEnd('/');

    private static string FileName(string word) => word[(word.LastIndexOf('/') + 1)..];

    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex Assignment();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]*$")]
    private static partial Regex PlainWord();
}
