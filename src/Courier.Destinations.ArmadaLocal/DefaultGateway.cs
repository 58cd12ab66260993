using System.Globalization;
using System.Net;

namespace Courier.Destinations.ArmadaLocal;

/// <summary>
/// The IPv4 default gateway of this machine, from /proc/net/route. Inside an Armada container it is the ship,
/// where the Armada API listens: the original Courier found the API the same way.
/// </summary>
internal static class DefaultGateway
{
    public static IPAddress? Find(string routeTable = "/proc/net/route")
    {
        if (!File.Exists(routeTable))
        {
            return null;
        }

        foreach (var line in File.ReadLines(routeTable).Skip(1))
        {
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length > 2 && fields[1] == "00000000" &&
                uint.TryParse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var gateway) && gateway != 0)
            {
                // The kernel writes the address in host byte order (little-endian on every machine Courier runs on).
                return new IPAddress(BitConverter.GetBytes(gateway));
            }
        }

        return null;
    }
}
