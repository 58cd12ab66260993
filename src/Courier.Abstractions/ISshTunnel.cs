namespace Courier;

/// <summary>An open port forward. Disposing it ends the ssh process.</summary>
public interface ISshTunnel : IAsyncDisposable
{
    /// <summary>The loopback port that leads to the remote end.</summary>
    int LocalPort { get; }

    /// <summary>The local end as <c>127.0.0.1:PORT</c>.</summary>
    string LocalEndpoint { get; }
}
