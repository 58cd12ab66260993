using System.Globalization;
using System.Text;
using Courier.Core.History;
using Courier.Host.Cluster;

namespace Courier.Host.Status;

/// <summary>
/// The status page for people: plain server-rendered HTML, one block per source (<see cref="SourceBlock"/>) that
/// stays short for hundreds of targets, refreshes itself, stacks on a phone and reads in a terminal browser.
/// </summary>
internal static class StatusPage
{
    public const int RefreshSeconds = 15;

    /// <summary>The page; <paramref name="cluster"/> adds the cluster block of a cluster member (none on a single node).</summary>
    public static string Render(CourierStatus status, ClusterStatus? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var page = new StringBuilder(4096);
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="{RefreshSeconds}">
            <title>Courier status</title>
            <style>{StatusPageStyle.Css}</style>
            </head>
            <body>
            <header><h1>Courier status</h1>
            <p>As of <time datetime="{status.GeneratedAt.UtcDateTime:O}">{status.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</time>; this page refreshes every {RefreshSeconds} s. <a href="/reports">All reports</a> (JSON).</p>
            </header>
            <main>

            """);
        if (cluster is not null)
        {
            ClusterBlock.Append(page, cluster);
        }

        if (status.Sources.Count == 0)
        {
            page.Append("<p>No update has run yet.</p>\n");
        }

        foreach (var source in status.Sources)
        {
            SourceBlock.Append(page, source, status.GeneratedAt);
        }

        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }
}
