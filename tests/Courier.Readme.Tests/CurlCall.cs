namespace Courier.Readme.Tests;

/// <summary>
/// A curl call of Courier's HTTP API: its method (<c>-X</c>, else <c>POST</c> with <c>-d</c>, else <c>GET</c>), the
/// path of its URL (scheme, host, port and query aside) and the first word of each header's value
/// (<c>application/json</c>, <c>Bearer</c>).
/// </summary>
internal sealed record CurlCall(string Text, string Method, string Path, IReadOnlyList<string> HeaderValues)
{
    public static CurlCall? From(IReadOnlyList<string> words)
    {
        if (words.Count == 0 || words[0] != "curl")
        {
            return null;
        }

        string? method = null;
        string? url = null;
        var hasBody = false;
        var headers = new List<string>();
        for (var i = 1; i < words.Count; i++)
        {
            var value = i + 1 < words.Count ? words[i + 1] : string.Empty;
            switch (words[i])
            {
                case "-X" or "--request":
                    method = value;
                    i++;
                    break;
                case "-H" or "--header":
                    headers.Add(value[(value.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0]);
                    i++;
                    break;
                case "-d" or "--data" or "--data-raw" or "--data-binary":
                    hasBody = true;
                    i++;
                    break;
                default:
                    url = words[i].Contains("://", StringComparison.Ordinal) ? words[i] : url;
                    break;
            }
        }

        if (url is null)
        {
            return null;
        }

        var afterScheme = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = afterScheme.IndexOf('/', StringComparison.Ordinal);
        var path = slash < 0 ? "/" : afterScheme[slash..].Split('?', '#')[0];
        return new CurlCall(string.Join(' ', words), method ?? (hasBody ? "POST" : "GET"), path, headers);
    }

    public override string ToString() => Text;
}
