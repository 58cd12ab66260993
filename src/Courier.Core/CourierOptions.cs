
namespace Courier.Core;

/// <summary>The host settings, section <c>Courier</c> (<c>Courier__HermesDirectory</c>, <c>--Courier:SshAddress</c>, ...).</summary>
public sealed class CourierOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Courier";

    /// <summary>The local hermes directory, the source of hermes-directory sources and the path advertised by <c>GET /hermes_address</c>.</summary>
    public string HermesDirectory { get; set; } = "/tmp/hermes-directory";

    /// <summary>Where Courier keeps git caches, snapshots, known_hosts and the last report.</summary>
    public string StateDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "courier-state");

    /// <summary>
    /// The Hermes search path: directories separated by <c>:</c>, searched in order for <c>sources/</c>,
    /// <c>destinations.json</c> and keys. Default: the <c>CONFIG_PATH</c> environment variable.
    /// </summary>
    public string? ConfigPath { get; set; } = Environment.GetEnvironmentVariable("CONFIG_PATH");

    /// <summary>The <c>HOST:PORT</c> of this machine's sshd that <c>GET /hermes_address</c> advertises.</summary>
    public string? SshAddress { get; set; }

    /// <summary>Whether the host updates every source in the background when it starts (the original does).</summary>
    public bool UpdateAllOnStart { get; set; } = true;

    /// <summary>The Armada API used by armada-local destinations that name none.</summary>
    public string? ArmadaApi { get; set; }

    /// <summary>
    /// The host's transfer budget: how many transfers (an rsync over ssh to one target, with its remote steps) run at
    /// once over every source, destination and Armada agent. The others wait their turn: each rsync and its ssh cost
    /// memory and CPU, so hundreds at once only thrash a small host.
    /// </summary>
    public int MaxParallelTransfers { get; set; } = 32;

    /// <summary>How many sources are pulled and validated at once, over all updates (one update of a source runs at a time); their transfers share <see cref="MaxParallelTransfers"/>.</summary>
    public int MaxParallelSources { get; set; } = 4;

    /// <summary>How long running deliveries may go on after SIGTERM before they are cancelled and their processes killed.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When an update that waited behind a running one of its source starts (section <c>Courier:Coalescing</c>).</summary>
    public CoalescingOptions Coalescing { get; set; } = new();

    /// <summary>Defaults of git sources (section <c>Courier:Git</c>).</summary>
    public CourierGitOptions Git { get; set; } = new();

    /// <summary>SSH settings.</summary>
    public CourierSshOptions Ssh { get; set; } = new();

    /// <summary>Deadlines of external steps (section <c>Courier:Timeouts</c>).</summary>
    public CourierTimeouts Timeouts { get; set; } = new();

    /// <summary>Retries of transient transfer failures (section <c>Courier:Retries</c>).</summary>
    public CourierRetryOptions Retries { get; set; } = new();

    /// <summary>The report history (section <c>Courier:Reports</c>).</summary>
    public CourierReportOptions Reports { get; set; } = new();
}

/// <summary>Retries of a transfer to one target after a transient failure (section <c>Courier:Retries</c>).</summary>
public sealed class CourierRetryOptions
{
    /// <summary>Tries in all, the first included (default 3; 1 turns retries off).</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>The wait before the first retry; later waits grow exponentially, with jitter (default 2 s).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two tries (default 30 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No retry starts once this much time has passed since the first try (default 5 minutes).</summary>
    public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>How much report history the host keeps in <c>StateDirectory/reports/</c> (section <c>Courier:Reports</c>).</summary>
public sealed class CourierReportOptions
{
    /// <summary>The most reports kept; older ones are deleted.</summary>
    public int MaxCount { get; set; } = 500;

    /// <summary>Reports older than this are deleted.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>Defaults of git sources (section <c>Courier:Git</c>).</summary>
public sealed class CourierGitOptions
{
    /// <summary>How often a git source without its own <c>poll_interval</c> checks its branch; null (the default): never.</summary>
    public TimeSpan? PollInterval { get; set; }
}

/// <summary>
/// When an update that waited behind a running update of its source starts (section <c>Courier:Coalescing</c>).
/// The first update of an idle source starts at once; the one that collected the triggers arriving meanwhile waits
/// for them to stop, so a storm of pushes ends in one more delivery, of the last commit.
/// </summary>
public sealed class CoalescingOptions
{
    /// <summary>It starts once no trigger has come for this long; zero: as soon as the running one ends.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>It starts at the latest this long after the running one ended, even while triggers go on coming.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>SSH settings of the host (section <c>Courier:Ssh</c>).</summary>
public sealed class CourierSshOptions
{
    /// <summary>The user for <c>/update_hermes</c> and the default of destinations.</summary>
    public string User { get; set; } = "docker";

    /// <summary>The key for <c>/update_hermes</c> and the default of destinations; a relative path is looked up on <c>CONFIG_PATH</c>.</summary>
    public string? Key { get; set; } = "keys/docker@armada.key";

    /// <summary>Whether the remote side runs <c>sudo rsync</c>.</summary>
    public bool Sudo { get; set; } = true;

    /// <summary>The host key policy: <c>yes</c>, <c>accept-new</c> or <c>no</c>.</summary>
    public string StrictHostKeyChecking { get; set; } = "accept-new";

    /// <summary>An optional ssh_config file passed to every ssh run with <c>-F</c> (host aliases, jump hosts).</summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// An operator-supplied known_hosts file (keys pinned ahead of time); checked besides the keys Courier learns
    /// in its state directory, so <c>StrictHostKeyChecking=yes</c> can be used.
    /// </summary>
    public string? KnownHostsFile { get; set; }

    /// <summary>Seconds ssh waits for a connection.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>The ssh executable.</summary>
    public string Executable { get; set; } = "ssh";

    /// <summary>The rsync executable.</summary>
    public string RsyncExecutable { get; set; } = "rsync";

    /// <summary>
    /// Whether transfers to a target share one ssh connection that Courier keeps open to it (an OpenSSH master
    /// connection), instead of a new handshake per transfer.
    /// </summary>
    public bool ReuseConnections { get; set; } = true;

    /// <summary>How long an unused shared connection stays open.</summary>
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
