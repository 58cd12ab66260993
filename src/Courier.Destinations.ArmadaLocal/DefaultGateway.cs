using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Courier.Destinations.ArmadaLocal;

/// <summary>
/// The IPv4 default gateway of this machine. Inside an Armada container it is the ship, where the Armada API
/// listens: the original Courier found the API the same way.
/// </summary>
internal static class DefaultGateway
{
    public static IPAddress? Find() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(network => network.OperationalStatus == OperationalStatus.Up)
            .SelectMany(network => network.GetIPProperties().GatewayAddresses)
            .Select(gateway => gateway.Address)
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Any));
}
