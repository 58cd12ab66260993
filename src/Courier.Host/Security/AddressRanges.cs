using System.Net;

namespace Courier.Host.Security;

/// <summary>A list of CIDR networks read from a setting, matching IPv4, IPv6 and IPv4-mapped IPv6 addresses.</summary>
internal sealed class AddressRanges
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    private AddressRanges(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    /// <summary>The networks, for messages.</summary>
    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>
    /// Reads CIDR networks (<c>10.0.0.0/8</c>) or single addresses; the single entry <c>none</c> is the empty list.
    /// </summary>
    /// <param name="entries">The setting's values.</param>
    /// <param name="setting">The setting's name, for the error message.</param>
    /// <exception cref="FormatException">An entry is not a network; the message names the setting and the entry.</exception>
    public static AddressRanges Parse(IEnumerable<string> entries, string setting)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw?.Trim() ?? string.Empty;
            if (string.Equals(entry, "none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (!entry.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(entry, out var single))
            {
                var address = Canonical(single);
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException(
                    $"{setting}: \"{entry}\" is not a network in CIDR form such as 10.0.0.0/8 or fc00::/7 (an address, or a base address whose host bits are zero, then /prefix).");
            }
        }

        return new AddressRanges(networks);
    }

    /// <summary>Whether <paramref name="address"/> (IPv4-mapped IPv6 read as IPv4) is in one of the networks.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var canonical = Canonical(address);
        foreach (var network in _networks)
        {
            if (network.Contains(canonical))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:10.0.0.1</c>, how a dual-stack socket sees IPv4 peers) as IPv4; others unchanged.</summary>
    public static IPAddress Canonical(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <inheritdoc />
    public override string ToString() => _networks.Count == 0 ? "none" : string.Join(", ", _networks);
}
