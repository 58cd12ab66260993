using Courier.Core.Updates;

namespace Courier.Host.Background;

/// <summary>
/// Updates that run after their request has been answered (web hooks, start-up, polling, unfinished runs), as the
/// host's <see cref="UpdateQueue"/> runs them (an embedding app runs <see cref="ICourierUpdater"/> directly).
/// </summary>
internal interface IUpdateQueue
{
    /// <summary>
    /// Accepts an update for <paramref name="triggers"/>, to run as soon as the sources it concerns are free; false
    /// when it was not accepted (the queue is full or stopping). An accepted update is never dropped while the
    /// process lives.
    /// </summary>
    bool TryEnqueue(string reason, IReadOnlyList<UpdateTrigger> triggers);
}
