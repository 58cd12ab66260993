using System.Text;
using System.Text.RegularExpressions;

namespace Courier.Core.Transfer;

/// <summary>
/// Reads rsync's <c>--itemize-changes</c> lines into <see cref="FileChanges"/>: <c>&lt;f+++++++++ path</c> (or
/// <c>&gt;f</c>, <c>cL</c> ...) created, <c>&lt;f.st...... path</c> updated, <c>*deleting path</c> deleted. Files and
/// symbolic links only: directory lines (<c>cd+++++++++ dir/</c>, <c>*deleting dir/</c>) are skipped, a directory shows
/// in the paths below it. Statistics and other lines are ignored.
/// </summary>
internal static partial class ItemizedChanges
{
    public static FileChanges Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        List<string> created = [], updated = [], deleted = [];
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var deleting = Deleting().Match(line);
            if (deleting.Success)
            {
                var path = Unescape(deleting.Groups["path"].Value);
                if (!path.EndsWith('/'))
                {
                    deleted.Add(path);
                }

                continue;
            }

            var item = Item().Match(line);
            if (!item.Success)
            {
                continue;
            }

            var kind = item.Groups["kind"].Value;
            var path2 = item.Groups["path"].Value;
            if (kind == "L")
            {
                // A symbolic link's line names its target too: "cL+++++++++ link -> target".
                var arrow = path2.IndexOf(" -> ", StringComparison.Ordinal);
                path2 = arrow < 0 ? path2 : path2[..arrow];
            }

            path2 = Unescape(path2);
            (item.Groups["flags"].Value.All(c => c == '+') ? created : updated).Add(path2);
        }

        return new FileChanges(created, updated, deleted);
    }

    /// <summary>rsync writes a byte it will not print as <c>\#ooo</c> (octal).</summary>
    private static string Unescape(string path)
    {
        if (!path.Contains("\\#", StringComparison.Ordinal))
        {
            return path;
        }

        var bytes = new List<byte>();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 4 < path.Length && path[i + 1] == '#' && IsOctal(path[i + 2]) && IsOctal(path[i + 3]) && IsOctal(path[i + 4]))
            {
                bytes.Add((byte)(((path[i + 2] - '0') << 6) | ((path[i + 3] - '0') << 3) | (path[i + 4] - '0')));
                i += 4;
            }
            else
            {
                var length = char.IsHighSurrogate(path[i]) && i + 1 < path.Length ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(path.Substring(i, length)));
                i += length - 1;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    // YXcstpoguax: the update type, the file type, then nine (or more, with newer rsync) attribute letters.
    [GeneratedRegex(@"^(?<update>[<>ch.])(?<kind>[fL])(?<flags>[^ ]{9,}) (?<path>.+)$")]
    private static partial Regex Item();

    [GeneratedRegex(@"^\*deleting +(?<path>.+)$")]
    private static partial Regex Deleting();
}
