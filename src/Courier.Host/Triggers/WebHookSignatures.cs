using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Courier.Host.Triggers;

/// <summary>The signature checks the providers use, all in constant time.</summary>
internal static class WebHookSignatures
{
    /// <summary>Whether <paramref name="given"/> equals <paramref name="expected"/> (hashed first, so lengths leak nothing).</summary>
    public static bool TokenMatches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>Whether <paramref name="hex"/> is the hex HMAC-SHA256 of the body with <paramref name="secret"/> (GitHub, Gitea).</summary>
    public static bool HexHmacMatches(string? hex, string secret, ReadOnlySpan<byte> body)
    {
        if (hex is null || hex.Length != 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>
    /// Checks a Standard Webhooks signature (GitLab's signing token): <c>webhook-signature</c> holds space-separated
    /// <c>v1,BASE64</c> entries, one of which must be the HMAC-SHA256 of <c>ID.TIMESTAMP.BODY</c>; the timestamp
    /// (Unix seconds) must be within <paramref name="tolerance"/> of now. Null when it verifies, else why not.
    /// </summary>
    public static string? StandardWebhookError(string? id, string? timestamp, string? signatures, string key, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (id is null || timestamp is null || signatures is null)
        {
            return "webhook-id, webhook-timestamp and webhook-signature are required (Courier:WebHooks:GitLabSigningKey is set).";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return $"webhook-timestamp {timestamp} is not within {tolerance.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s of now.";
        }

        var keyBytes = key.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(key["whsec_".Length..]) : Encoding.UTF8.GetBytes(key);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(keyBytes, signed);
        var matched = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || entry[..comma] != "v1")
            {
                continue;
            }

            var given = new byte[expected.Length + 3];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], given, out var written) && written == expected.Length)
            {
                matched |= CryptographicOperations.FixedTimeEquals(given.AsSpan(0, written), expected);
            }
        }

        return matched ? null : "webhook-signature does not match Courier:WebHooks:GitLabSigningKey.";
    }
}
