namespace Courier.Core.Transfer;

/// <summary>How one transfer reaches its target: straight, through a shared connection, or through a tunnel.</summary>
/// <param name="Endpoint">The target's <c>HOST:PORT</c>, as its host key is known.</param>
/// <param name="Host">The host ssh connects to (<c>127.0.0.1</c> through a tunnel).</param>
/// <param name="SshArguments">ssh's options for that connection (a shared connection's included).</param>
/// <param name="TargetName">The target as reports name it.</param>
/// <param name="SessionHung">Ends the shared connection when a run's output outlives the run; null without one.</param>
internal sealed record SshRoute(string Endpoint, string Host, IReadOnlyList<string> SshArguments, string TargetName, Action? SessionHung);

/// <summary>One rsync run: where on the target, the remote command, whether it only looks, and the flags that differ.</summary>
/// <param name="RemoteDirectory">The directory on the target the snapshot's contents go into (with a trailing slash).</param>
/// <param name="RsyncPath">rsync's <c>--rsync-path</c>: the remote command line.</param>
/// <param name="DryRun">Whether nothing is written (<c>--dry-run --itemize-changes</c>).</param>
/// <param name="Arguments">Further flags (an atomic release's <c>--link-dest</c>).</param>
internal sealed record RsyncCall(string RemoteDirectory, string RsyncPath, bool DryRun, IReadOnlyList<string> Arguments);
