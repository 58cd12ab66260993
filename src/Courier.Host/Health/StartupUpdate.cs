namespace Courier.Host.Health;

/// <summary>Whether the update of all sources at start-up (<c>Courier:UpdateAllOnStart</c>) has finished.</summary>
internal sealed class StartupUpdate
{
    private volatile bool _finished;

    public bool Finished => _finished;

    public void MarkFinished() => _finished = true;
}
