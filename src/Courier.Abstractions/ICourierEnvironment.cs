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

    /// <summary>What a destination with many targets started at once before the transfer budget; now the budget itself.</summary>
    [Obsolete("Courier:MaxParallelTransfers replaced the per-destination limit: read MaxParallelTransfers. Kept so that plugins built against 1.0 load.")]
    int MaxParallelDeliveries { get; }

    /// <summary>
    /// The host's transfer budget (<c>Courier:MaxParallelTransfers</c>): how many transfers run at once over everything
    /// it delivers. <see cref="IFileTransfer"/> keeps to it; a destination with many targets (the agents of a cluster)
    /// need not start more than this many at once.
    /// </summary>
#pragma warning disable CS0618 // A host built before the budget answers with its old per-destination limit.
    int MaxParallelTransfers => MaxParallelDeliveries;
#pragma warning restore CS0618

    /// <summary>The deadlines of external steps (<c>Courier:Timeouts</c>); the defaults when a host sets none.</summary>
    CourierTimeouts Timeouts => new();
}
