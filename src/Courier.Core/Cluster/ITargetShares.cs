namespace Courier.Core.Cluster;

/// <summary>
/// How the member running a source hands the other live members their share of its targets, and how a member gets
/// the shares it was handed. The member that runs the source pulls, validates and decides; each share is delivered
/// by its member over that member's own ssh connections, under the runner's fencing token. A single node has no one
/// to hand a share to (<see cref="MinTargets"/> is <see cref="int.MaxValue"/>).
/// </summary>
public interface ITargetShares
{
    /// <summary>The fewest targets of one delivery (a wave) that are split across the members; fewer are delivered by the runner alone.</summary>
    int MinTargets { get; }

    /// <summary>Hands <see cref="ShareOrder.Member"/> its share; the order ends with the runner (its lease), or with <see cref="WithdrawAsync"/>.</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task PublishAsync(ShareOrder order, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for the member's answer to <paramref name="order"/>; null when the member left the cluster (its lease
    /// ended) before answering, so its share is the runner's to deliver.
    /// </summary>
    /// <exception cref="ClusterUnavailableException">The engine could not be asked.</exception>
    Task<ShareAnswer?> AnswerOfAsync(ShareOrder order, CancellationToken cancellationToken);

    /// <summary>Removes the order and its answer (best effort: the runner's lease ends them anyway).</summary>
    Task WithdrawAsync(ShareOrder order, CancellationToken cancellationToken);

    /// <summary>
    /// The orders handed to this member, each once, as they arrive, each with a token cancelled when its runner
    /// withdraws it (the runner's deadline, or the runner gone); ends with <paramref name="cancellationToken"/>.
    /// </summary>
    IAsyncEnumerable<ReceivedShare> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Answers an order handed to this member.</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task AnswerAsync(ShareOrder order, ShareAnswer answer, CancellationToken cancellationToken);
}

/// <summary>One member's share of one delivery of a source.</summary>
/// <param name="Id">Unique in the cluster.</param>
/// <param name="SourceId">The source.</param>
/// <param name="Revision">The revision the runner pulled and validated: the member delivers it, or nothing.</param>
/// <param name="FencingToken">The token of the runner's source lock, carried by every delivery of the share.</param>
/// <param name="Runner">The member that runs the source and waits for the answer.</param>
/// <param name="Member">The member the share is for.</param>
/// <param name="Targets">The targets of the share.</param>
public sealed record ShareOrder(string Id, string SourceId, string Revision, long? FencingToken, string Runner, string Member, IReadOnlyList<ShareTarget> Targets);

/// <summary>An order handed to this member, and whether its runner still wants it.</summary>
/// <param name="Order">The order.</param>
/// <param name="Withdrawn">Cancelled once the order is withdrawn: whatever the share still does is for nobody.</param>
public sealed record ReceivedShare(ShareOrder Order, CancellationToken Withdrawn);

/// <summary>A target of a share: its destination's alias and its name within the destination.</summary>
/// <param name="Alias">The destination.</param>
/// <param name="Name">The target (<see cref="IDeliveryTarget.Name"/>).</param>
public sealed record ShareTarget(string Alias, string Name);

/// <summary>
/// A member's answer to its share: each target's delivery results in the order's order, or why it delivered none
/// (it pulled another revision, or does not know a target), which leaves the share to the runner.
/// </summary>
/// <param name="Error">Why nothing was delivered; null when <paramref name="Deliveries"/> holds every target's results.</param>
/// <param name="Deliveries">One list of results per target of the order, in its order.</param>
public sealed record ShareAnswer(string? Error, IReadOnlyList<IReadOnlyList<DeliveryResult>> Deliveries);
