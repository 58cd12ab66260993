using System.Globalization;
using System.Text.Json.Serialization;

namespace Courier;

/// <summary>
/// Where a hermes directory can be reached: an SSH endpoint (<c>HOST:PORT</c>) and the directory path on
/// that host. Serialises exactly as the original Courier and Armada agents do:
/// <c>{"ssh": "192.168.0.100:32772", "path": "/etc/opt"}</c>.
/// </summary>
public sealed record HermesAddress
{
    /// <summary>Creates an address; use <see cref="Parse"/> to validate user input.</summary>
    [JsonConstructor]
    public HermesAddress(string ssh, string path)
    {
        Ssh = ssh;
        Path = path;
    }

    /// <summary>The SSH endpoint, <c>HOST:PORT</c>.</summary>
    [JsonPropertyName("ssh")]
    public string Ssh { get; }

    /// <summary>The absolute hermes directory path on the target.</summary>
    [JsonPropertyName("path")]
    public string Path { get; }

    /// <summary>The host part of <see cref="Ssh"/>.</summary>
    [JsonIgnore]
    public string Host => SplitEndpoint(Ssh).Host;

    /// <summary>The port part of <see cref="Ssh"/> (22 when none is given).</summary>
    [JsonIgnore]
    public int Port => SplitEndpoint(Ssh).Port;

    /// <summary>Validates and creates an address.</summary>
    /// <exception cref="ArgumentException">The endpoint or path is malformed.</exception>
    public static HermesAddress Parse(string? ssh, string? path)
    {
        if (string.IsNullOrWhiteSpace(ssh))
        {
            throw new ArgumentException("The hermes address needs \"ssh\" as HOST:PORT.", nameof(ssh));
        }

        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
        {
            throw new ArgumentException($"The hermes address needs \"path\" as an absolute directory path, got \"{path}\".", nameof(path));
        }

        if (path.Trim().TrimEnd('/').Length == 0)
        {
            // rsync --delete into / would remove everything on the target that is not in the snapshot.
            throw new ArgumentException("The hermes address \"path\" must not be /: a delivery there would replace the whole file system.", nameof(path));
        }

        SplitEndpoint(ssh);
        return new HermesAddress(ssh.Trim(), path);
    }

    /// <summary>Splits <c>HOST:PORT</c> (or <c>[v6]:PORT</c>, or a bare host meaning port 22).</summary>
    /// <exception cref="ArgumentException">The endpoint is malformed.</exception>
    public static (string Host, int Port) SplitEndpoint(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = endpoint.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"Malformed address \"{endpoint}\".", nameof(endpoint));
            }

            host = text[1..close];
            if (close + 1 < text.Length)
            {
                if (text[close + 1] != ':')
                {
                    throw new ArgumentException($"Malformed address \"{endpoint}\".", nameof(endpoint));
                }

                port = text[(close + 2)..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0 || host.StartsWith('-') || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '@' or '/' or '\'' or '"'))
        {
            throw new ArgumentException($"Malformed host in address \"{endpoint}\".", nameof(endpoint));
        }

        var portNumber = 22;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw new ArgumentException($"Malformed port in address \"{endpoint}\": expected HOST:PORT with a port from 1 to 65535.", nameof(endpoint));
        }

        return (host, portNumber);
    }

    /// <summary>
    /// Reads the answer of a <c>GET /hermes_address</c> (an Armada agent's or a Courier's):
    /// <c>{"status": "ok", "ssh": "HOST:PORT", "path": "/etc/opt"}</c>, where <c>status</c> is optional.
    /// </summary>
    /// <param name="json">The answer's body.</param>
    /// <param name="from">Who answered, for the error message.</param>
    /// <exception cref="FormatException">The answer is not such an object, or its status is not <c>ok</c>.</exception>
    public static HermesAddress FromAnswer(string json, string from)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new FormatException($"{from} answered /hermes_address with {json.Length} bytes that are not a JSON object.");
            }

            if (root.TryGetProperty("status", out var status) && !string.Equals(status.ToString(), "ok", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"{from} answered /hermes_address with status \"{status}\": {PeerAnswer.Excerpt(json)}");
            }

            return Parse(PeerAnswer.ReadString(root, "ssh"), PeerAnswer.ReadString(root, "path"));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"{from} answered /hermes_address with invalid JSON ({e.Message}): {PeerAnswer.Excerpt(json)}", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{from} answered /hermes_address with an unusable address: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Ssh}:{Path}";
}
