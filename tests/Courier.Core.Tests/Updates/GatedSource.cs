using System.Collections.Concurrent;

namespace Courier.Core.Tests.Updates;

/// <summary>
/// A source whose pulls wait at a gate the test opens, and which reports the "head" it saw when its pull started:
/// enough to watch which pulls ran and in what order.
/// </summary>
internal sealed class GatedSource(string name) : ISource
{
    private static readonly ConcurrentDictionary<string, GatedSource> Named = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pulls;
    private int _cancelled;

    public string Id => $"gated:{name}";

    public string Type => "test-gated";

    public IReadOnlyList<string> Destinations { get; } = ["box"];

    /// <summary>The revision the next pull reports.</summary>
    public string Head { get; set; } = "r0";

    public int Pulls => Volatile.Read(ref _pulls);

    /// <summary>Pulls that ended because their cancellation token fired.</summary>
    public int CancelledPulls => Volatile.Read(ref _cancelled);

    /// <summary>Completed each time a pull has started and waits at the gate.</summary>
    public SemaphoreSlim PullStarted { get; } = new(0);

    public static GatedSource Get(string name) => Named.GetOrAdd(name, n => new GatedSource(n));

    public bool Matches(UpdateTrigger trigger) => trigger is UpdateTrigger.AllSources;

    /// <summary>Lets every pull waiting at the gate finish, and closes the gate for the next ones.</summary>
    public void Open()
    {
        lock (_lock)
        {
            _gate.TrySetResult();
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<Snapshot> PullAsync(CancellationToken cancellationToken)
    {
        Task gate;
        string head;
        lock (_lock)
        {
            gate = _gate.Task;
            head = Head;
            _pulls++;
        }

        PullStarted.Release();
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }

        return new Snapshot(Id, Path.GetTempPath(), name, head);
    }
}

/// <summary>Makes <see cref="GatedSource"/>s by "name", the same object for a name every time the configuration is read.</summary>
internal sealed class GatedSourceFactory : ISourceFactory
{
    public string Type => "test-gated";

    public IReadOnlyList<ISource> Create(SourceDefinition definition) => [GatedSource.Get(definition.GetRequiredString("name"))];
}
