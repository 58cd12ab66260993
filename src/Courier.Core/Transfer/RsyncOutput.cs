using System.Globalization;
using System.Text.RegularExpressions;

namespace Courier.Core.Transfer;

/// <summary>What rsync's output says: the bytes it sent (<c>--stats</c>), and a failure explained for people.</summary>
internal static partial class RsyncOutput
{
    public static long BytesSent(string statistics)
    {
        var match = TotalBytesSent().Match(statistics);
        return match.Success && long.TryParse(match.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0;
    }

    /// <summary>What rsync said, with the deadline that fired named; the manual's meaning when it said nothing.</summary>
    public static string Explain(int exitCode, string standardError, TimeSpan ioTimeout, int connectTimeoutSeconds)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var said = lines.Length == 0 ? "rsync printed nothing." : string.Join(" | ", lines.TakeLast(5));
        if (exitCode == 30)
        {
            return $"no answer within {CourierTimeouts.Describe(nameof(CourierTimeouts.RsyncIo), ioTimeout)}. {said}";
        }

        if (standardError.Contains("during banner exchange", StringComparison.Ordinal) || standardError.Contains("Connection timed out", StringComparison.Ordinal))
        {
            return $"no answer within Courier:Ssh:ConnectTimeoutSeconds ({connectTimeoutSeconds} s). {said}";
        }

        return said;
    }

    [GeneratedRegex(@"Total bytes sent:\s*([\d,\.]+)")]
    private static partial Regex TotalBytesSent();
}
