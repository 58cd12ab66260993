namespace Courier;

/// <summary>A place configuration is pulled from: one git repository, one hermes subdirectory, ...</summary>
public interface ISource
{
    /// <summary>A stable, human-readable identity (<c>git:ci@host:repo.git#dev</c>); also the lock key: two updates of one id never interleave.</summary>
    string Id { get; }

    /// <summary>The configuration <c>"type"</c> that made this source.</summary>
    string Type { get; }

    /// <summary>The destination aliases (keys of <c>destinations.json</c>) to deliver to.</summary>
    IReadOnlyList<string> Destinations { get; }

    /// <summary>Whether <paramref name="trigger"/> concerns this source.</summary>
    bool Matches(UpdateTrigger trigger);

    /// <summary>Pulls the current state into a local directory. Throws on any failure: nothing is then delivered.</summary>
    Task<Snapshot> PullAsync(CancellationToken cancellationToken);
}
