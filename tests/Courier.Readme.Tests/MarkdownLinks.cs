using System.Text.RegularExpressions;

namespace Courier.Readme.Tests;

/// <summary>
/// The links of a Markdown document that stay inside the repository (<c>[text](docs/settings.md#timeouts)</c>,
/// <c>![alt](images/status-page.png)</c>, <c>[text](#openapi)</c>), and the anchors a document offers: its headings,
/// as GitHub names them (lower case, punctuation dropped, spaces as hyphens, a repeated heading suffixed <c>-1</c>,
/// <c>-2</c>, ...), and its <c>&lt;a id="..."&gt;</c> elements. Links are not looked for in code blocks and code
/// spans, nor headings in code blocks.
/// </summary>
internal static partial class MarkdownLinks
{
    /// <summary>The repository-relative targets of <paramref name="markdown"/>'s links: URLs with a scheme aside.</summary>
    public static IReadOnlyList<string> Targets(string markdown) =>
        InlineLink().Matches(WithoutCode(markdown)).Select(m => m.Groups["target"].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .ToList();

    /// <summary>The anchors <paramref name="markdown"/> offers.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var text = FencedBlock().Replace(markdown.ReplaceLineEndings("\n"), string.Empty);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(text))
        {
            var slug = Slug(heading.Groups["title"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        anchors.UnionWith(AnchorElement().Matches(text).Select(m => m.Groups["id"].Value));
        return anchors;
    }

    /// <summary>Why the link <paramref name="target"/> of <paramref name="document"/> leads nowhere, or null when it leads to a file (and anchor) that exists.</summary>
    public static string? Broken(string document, string target, string repositoryRoot)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? target : target[..hash];
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var file = path.Length == 0
            ? Path.Combine(repositoryRoot, document)
            : Path.GetFullPath(Path.Combine(repositoryRoot, Path.GetDirectoryName(document) ?? string.Empty, Uri.UnescapeDataString(path)));
        if (!file.StartsWith(Path.GetFullPath(repositoryRoot), StringComparison.Ordinal))
        {
            return $"{target} leads outside the repository";
        }

        if (!File.Exists(file) && !Directory.Exists(file))
        {
            return $"{target}: there is no {Path.GetRelativePath(repositoryRoot, file)}";
        }

        if (anchor is null)
        {
            return null;
        }

        if (!file.EndsWith(".md", StringComparison.Ordinal))
        {
            return $"{target} names an anchor in a file that is not Markdown";
        }

        var anchors = Anchors(File.ReadAllText(file));
        return anchors.Contains(anchor)
            ? null
            : $"{target}: {Path.GetRelativePath(repositoryRoot, file)} has no #{anchor} (it has {string.Join(", ", anchors.Order(StringComparer.Ordinal).Select(a => "#" + a))})";
    }

    /// <summary>GitHub's anchor of a heading.</summary>
    public static string Slug(string title)
    {
        var text = MarkupOfTitle().Replace(title.Trim(), string.Empty).ToLowerInvariant();
        return NotInSlug().Replace(text, string.Empty).Replace(' ', '-');
    }

    private static string WithoutCode(string markdown) =>
        CodeSpan().Replace(FencedBlock().Replace(markdown.ReplaceLineEndings("\n"), string.Empty), string.Empty);

    [GeneratedRegex(@"^```[^\n]*\n.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^#{1,6}[ \t]+(?<title>[^\n]+?)[ \t#]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"<a\s+(?:name|id)=""(?<id>[^""]+)""")]
    private static partial Regex AnchorElement();

    [GeneratedRegex(@"[`*]|<[^>]*>")]
    private static partial Regex MarkupOfTitle();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\p{Mn}\p{Pc} -]")]
    private static partial Regex NotInSlug();
}
