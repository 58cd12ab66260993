using Microsoft.Extensions.Options;

namespace Courier.Core;

internal sealed class CourierEnvironment(IOptions<CourierOptions> options) : ICourierEnvironment
{
    public string HermesDirectory => options.Value.HermesDirectory;

    public string StateDirectory => options.Value.StateDirectory;

    public string? ArmadaApi => options.Value.ArmadaApi;

    public int MaxParallelTransfers => options.Value.MaxParallelTransfers;

    [Obsolete("Courier:MaxParallelTransfers replaced it.")]
    public int MaxParallelDeliveries => options.Value.MaxParallelTransfers;

    public CourierTimeouts Timeouts => options.Value.Timeouts;
}
