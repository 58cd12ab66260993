using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Courier.Core.Ssh;

/// <summary>
/// Turns OpenSSH's "REMOTE HOST IDENTIFICATION HAS CHANGED" output into one sentence naming the host, the key it
/// offers now and the key the known hosts file pins (read from the offending line of that file).
/// </summary>
internal static partial class HostKeyMismatch
{
    /// <summary>The explanation, or null when <paramref name="sshOutput"/> reports no changed host key.</summary>
    /// <param name="sshOutput">What ssh (or rsync running ssh) wrote to standard error.</param>
    /// <param name="host">The host as people read it (<c>HOST:PORT</c>).</param>
    public static string? Describe(string sshOutput, string host)
    {
        ArgumentNullException.ThrowIfNull(sshOutput);
        if (!sshOutput.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
        {
            return null;
        }

        var offered = OfferedFingerprint().Match(sshOutput) is { Success: true } o ? o.Groups["fingerprint"].Value : "an unknown key";
        var offending = OffendingKey().Match(sshOutput);
        if (!offending.Success)
        {
            return $"The host key of {host} has changed: it offers {offered}, which the known hosts file does not pin; refusing to connect.";
        }

        var file = offending.Groups["file"].Value;
        var line = int.Parse(offending.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var pinned = PinnedFingerprint(file, line) ?? "the key on that line";
        return $"The host key of {host} has changed: it offers {offered}, but {file} line {line} pins {pinned}; refusing to connect "
            + "(if the change is expected, replace that line with the new key).";
    }

    /// <summary>The SHA256 fingerprint of the key on a known_hosts line, as <c>ssh-keygen -l</c> prints it.</summary>
    internal static string? PinnedFingerprint(string file, int lineNumber)
    {
        try
        {
            var line = File.ReadLines(file).Skip(lineNumber - 1).FirstOrDefault();
            var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 3)
            {
                return null;
            }

            // A marker (@cert-authority, @revoked) shifts the fields by one.
            var blob = fields[0].StartsWith('@') ? fields.ElementAtOrDefault(3) : fields[2];
            return blob is null ? null : "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(blob))).TrimEnd('=');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"sent by the remote host is\s+(?<fingerprint>SHA256:[A-Za-z0-9+/=]+)")]
    private static partial Regex OfferedFingerprint();

    [GeneratedRegex(@"Offending \S+ key in (?<file>\S+):(?<line>\d+)")]
    private static partial Regex OffendingKey();
}
