using System.Collections.Concurrent;

namespace Courier.Sources.Git;

/// <summary>ssh and its options for one fetch, and the shared connection it goes through (a direct one when none).</summary>
/// <param name="Command">ssh and its common options (key, BatchMode, host key policy, the shared connection's).</param>
/// <param name="Connection">The use of the shared connection, to end it when a session through it hangs.</param>
internal sealed record GitSshRoute(IReadOnlyList<string> Command, SshConnectionUse Connection);

/// <summary>
/// The settings of one fetch over SSH, handed to <see cref="GitSshSubtransport"/> (which libgit2 creates itself) on
/// the fetching thread, and the ssh processes that fetch started. Disposing it ends and reaps every one of them.
/// </summary>
internal sealed class GitSshFetch(GitRepositoryUrl url, GitSshRoute route, CourierTimeouts timeouts, CancellationToken cancellationToken) : IDisposable
{
    private readonly ConcurrentQueue<GitSshProcess> _processes = new();

    /// <summary>The repository address being fetched.</summary>
    public GitRepositoryUrl Url { get; } = url;

    /// <summary>ssh and its common options (key, BatchMode, host key policy), without destination or command.</summary>
    public IReadOnlyList<string> SshCommand { get; } = route.Command;

    /// <summary>No bytes for this long ends the fetch (<c>Courier:Timeouts:GitInactivity</c>).</summary>
    public TimeSpan Inactivity { get; } = timeouts.GitInactivity;

    /// <summary>The whole fetch (<c>Courier:Timeouts:GitFetch</c>).</summary>
    public TimeSpan Total { get; } = timeouts.GitFetch;

    /// <summary>Cancels the fetch: its ssh is killed.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// Ends the shared connection this fetch goes through (no-op for a direct one): a session through it hung, and the
    /// master holds that session's pipes (all of them when it stalls, standard error until the server ends the session).
    /// </summary>
    public void AbandonConnection() => route.Connection.Abandon();

    /// <summary>Why an ssh process of this fetch was ended, or what ssh said last; for the error message.</summary>
    public string? Failure => _processes.Select(process => process.Failure).LastOrDefault(failure => failure is not null);

    /// <summary>Starts <c>ssh ... git-upload-pack 'PATH'</c> for this fetch.</summary>
    public GitSshProcess Start(string service)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var process = GitSshProcess.Start(this, service);
        _processes.Enqueue(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }
}
