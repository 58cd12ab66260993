using System.Globalization;

namespace Courier;

/// <summary>
/// The deadlines of Courier's external steps (section <c>Courier:Timeouts</c>; TimeSpan values such as
/// <c>00:01:00</c>). Plugins read them through <see cref="ICourierEnvironment.Timeouts"/>.
/// </summary>
public sealed class CourierTimeouts
{
    /// <summary>The configuration section these settings bind to.</summary>
    public const string SectionName = "Courier:Timeouts";

    /// <summary>A git fetch that receives no bytes for this long is ended (default 1 minute).</summary>
    public TimeSpan GitInactivity { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A git fetch in total (default 10 minutes).</summary>
    public TimeSpan GitFetch { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>rsync's I/O timeout (<c>--timeout</c>, whole seconds; default 60 s).</summary>
    public TimeSpan RsyncIo { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a remote Courier may take to answer <c>POST /update_all</c> (default 5 minutes).</summary>
    public TimeSpan RemoteForward { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// One check of a source's <c>"validate"</c> list (default 1 minute), unless the check sets its own
    /// <c>"timeout"</c>: a command still running then is killed with its process tree, and the check fails.
    /// </summary>
    public TimeSpan Validate { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// One remote step of atomic publish over ssh (default 1 minute): reading a target's release link, switching it,
    /// removing old releases. A step still running then is killed, and the target keeps the release it had.
    /// </summary>
    public TimeSpan Publish { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A whole update: pulls and deliveries of every source it runs (default 30 minutes).</summary>
    public TimeSpan Update { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How a deadline is named in errors, so that people find the setting: <c>Courier:Timeouts:RsyncIo (00:01:00)</c>.
    /// </summary>
    public static string Describe(string name, TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{name} ({value:c})");
}
