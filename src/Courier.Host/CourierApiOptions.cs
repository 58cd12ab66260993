namespace Courier.Host;

/// <summary>Who may call the HTTP API's mutating endpoints (section <c>Courier:Api</c>).</summary>
internal sealed class CourierApiOptions
{
    /// <summary>
    /// The networks allowed without credentials: loopback, RFC 1918, RFC 4193 (<c>fc00::/7</c>) and link-local,
    /// where Armada agents and other Couriers call from.
    /// </summary>
    public static IReadOnlyList<string> DefaultAllowedNetworks { get; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "169.254.0.0/16", "fe80::/10"];

    /// <summary>
    /// CIDR networks (or single addresses) of callers allowed without a token; <see langword="null"/> means
    /// <see cref="DefaultAllowedNetworks"/>, the single entry <c>none</c> means no caller without a token.
    /// </summary>
    public IList<string>? AllowedNetworks { get; set; }

    /// <summary>Named bearer tokens (<c>Courier__Api__Tokens__ci=...</c>), each allowed from any address. Never logged.</summary>
    public IDictionary<string, string> Tokens { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> is believed; none by default,
    /// so the caller is always the TCP peer.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>The largest request body the API reads, in bytes (web hooks have their own limit).</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The networks in effect: <see cref="AllowedNetworks"/> or the defaults.</summary>
    public IReadOnlyList<string> EffectiveAllowedNetworks =>
        AllowedNetworks is { Count: > 0 } configured ? [.. configured] : DefaultAllowedNetworks;
}
