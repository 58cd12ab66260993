namespace Courier;

/// <summary>Settings of the running Courier that plugins may need.</summary>
public interface ICourierEnvironment
{
    /// <summary>The local hermes directory (<c>/tmp/hermes-directory</c> by default).</summary>
    string HermesDirectory { get; }

    /// <summary>Where Courier keeps its state: git caches, snapshots, known_hosts, the last report.</summary>
    string StateDirectory { get; }

    /// <summary>The Armada API address for armada-local discovery, when configured.</summary>
    string? ArmadaApi { get; }

    /// <summary>How many targets one destination serves at once (Armada agents of a cluster, say).</summary>
    int MaxParallelDeliveries { get; }

    /// <summary>The deadlines of external steps (<c>Courier:Timeouts</c>); the defaults when a host sets none.</summary>
    CourierTimeouts Timeouts => new();
}
