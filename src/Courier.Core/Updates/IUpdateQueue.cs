namespace Courier.Core.Updates;

/// <summary>
/// Updates that run after their request has been answered (web hooks, start-up, polling). The reference host's
/// queue implements it; an embedding app that polls provides its own (or runs <see cref="CourierUpdater"/> directly).
/// </summary>
public interface IUpdateQueue
{
    /// <summary>
    /// Accepts an update for <paramref name="triggers"/>, to run as soon as the sources it concerns are free; false
    /// when it was not accepted (the queue is full or stopping). An accepted update is never dropped while the
    /// process lives.
    /// </summary>
    bool TryEnqueue(string reason, IReadOnlyList<UpdateTrigger> triggers);
}
