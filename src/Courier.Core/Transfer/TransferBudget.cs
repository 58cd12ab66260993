using Microsoft.Extensions.Options;

namespace Courier.Core.Transfer;

/// <summary>
/// The host's transfer budget (<c>Courier:MaxParallelTransfers</c>): one slot per transfer to a target, held for one
/// attempt (not while a retry waits), over every source, destination and Armada agent. Where the fan-outs above it
/// each had a limit of their own, a cluster's 16 agents went 8 at a time while 16 <c>ssh</c> destinations went 16;
/// now both take the same slots, and the host never runs more rsync and ssh pairs than the budget.
/// </summary>
internal sealed class TransferBudget(IOptions<CourierOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxParallelTransfers, options.Value.MaxParallelTransfers);

    /// <summary>Runs <paramref name="transfer"/> in a slot, waiting for one first; a cancelled wait takes none.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> transfer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await transfer(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
