namespace Courier.Core.Cluster;

/// <summary>
/// Triggers accepted by a member while another member held the source's lock: kept by the engine, so they survive
/// the member that accepted them, and run by the holder when its run ends or by whoever holds the lock next.
/// </summary>
public interface IPendingTriggers
{
    /// <summary>Records a pending trigger of its source.</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task AddAsync(PendingTrigger trigger, CancellationToken cancellationToken);

    /// <summary>Removes and returns the source's pending triggers (none: an empty list), oldest first.</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task<IReadOnlyList<PendingTrigger>> TakeAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>Whether the source has a pending trigger, without taking it.</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task<bool> AnyAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the lock holder started a run of its source (what it took, and its own trigger), kept by the engine
    /// until <see cref="FinishAsync"/>: a holder that dies mid-run leaves it behind, for another member to run again.
    /// Returns what identifies this record, for <see cref="FinishAsync"/>.
    /// </summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task<long> StartAsync(PendingTrigger run, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the record of the source's run, once it ended, unless another run's record replaced it (a member that
    /// was frozen past its lease must not remove the record of the run that took over).
    /// </summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task FinishAsync(string sourceId, long started, CancellationToken cancellationToken);

    /// <summary>The sources with a pending trigger or the record of a run that never finished (its holder may be gone).</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task<IReadOnlyList<string>> UnfinishedSourcesAsync(CancellationToken cancellationToken);
}

/// <summary>A trigger of one source waiting for the source's lock.</summary>
/// <param name="SourceId">The source.</param>
/// <param name="AcceptedBy">The member that accepted it.</param>
/// <param name="AcceptedAt">When.</param>
/// <param name="Trigger">What it was (for logs and reports).</param>
public sealed record PendingTrigger(string SourceId, string AcceptedBy, DateTimeOffset AcceptedAt, string Trigger);

/// <summary>The coordination engine cannot be used now: this member has no lease, or a call missed its deadline.</summary>
public sealed class ClusterUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterUnavailableException()
    {
    }

    /// <summary>Creates the exception with its reason.</summary>
    public ClusterUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public ClusterUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
