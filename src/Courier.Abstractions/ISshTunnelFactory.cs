namespace Courier;

/// <summary>Opens SSH port forwards (<c>ssh -N -L</c>); an engine service plugins receive by injection.</summary>
public interface ISshTunnelFactory
{
    /// <summary>Opens and checks a forward; throws with the gateway named when it never comes up.</summary>
    Task<ISshTunnel> OpenAsync(SshTunnelRequest request, CancellationToken cancellationToken);
}
