namespace Courier.Host.Tests.Visibility;

/// <summary>The status page's blocks, one per source, by source id (the text of each block's heading before its type).</summary>
internal static class StatusPageSections
{
    public static Dictionary<string, string> Of(string page) =>
        page.Split("<section class=\"source\">").Skip(1).ToDictionary(
            section => section[(section.IndexOf("<h2>", StringComparison.Ordinal) + 4)..section.IndexOf(" <small>", StringComparison.Ordinal)],
            StringComparer.Ordinal);

    /// <summary>How many times <paramref name="text"/> occurs in <paramref name="page"/>.</summary>
    public static int Count(string page, string text) => page.Split(text).Length - 1;
}
