using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// An sshd whose rsync sessions to the listed target paths wait before they start: long enough to kill or outlast the
/// member that runs them. The list is written once the site exists (the paths are its own).
/// </summary>
public sealed class StallingTargets : IDisposable
{
    private readonly TempDirectory _scripts = TempDirectory.Create("courier-stalls");
    private readonly string _list;
    private readonly string _log;

    public StallingTargets()
    {
        _list = _scripts.WriteFile("stall-paths", string.Empty);
        _log = _scripts.Combine("stalled.log");
    }

    /// <summary>Whether an rsync to a listed path has started waiting.</summary>
    public bool Started => File.Exists(_log);

    /// <summary>The sshd's options: each rsync to a listed path waits <paramref name="seconds"/> (<paramref name="once"/>: only the first to each path).</summary>
    public Func<TempDirectory, SshServerOptions> Server(int seconds, bool once) => root => SshServerOptions.RunningFirst(root, $$"""
        while read -r stall; do
          case "$SSH_ORIGINAL_COMMAND" in
            *"rsync --server"*"$stall"*) if {{(once ? "[ ! -e \"$stall.stalled\" ]" : "true")}}; then touch "$stall.stalled"; echo "$stall" >> '{{_log}}'; sleep {{seconds}}; fi ;;
          esac
        done < '{{_list}}'
        """);

    /// <summary>Lists the paths whose rsync sessions wait.</summary>
    public void Stall(IEnumerable<string> paths) => File.WriteAllLines(_list, paths);

    public void Dispose() => _scripts.Dispose();
}
