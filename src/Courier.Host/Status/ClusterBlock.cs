using System.Text;
using Courier.Host.Cluster;

namespace Courier.Host.Status;

/// <summary>The status page's cluster block: which member answered, whether it holds its lease, and every member.</summary>
internal static class ClusterBlock
{
    public static void Append(StringBuilder page, ClusterStatus cluster)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(cluster);
        var lease = cluster.Leased
            ? "holds its lease"
            : $"<strong class=\"failed\">has no lease</strong>: it starts no delivery of a shared source{(cluster.Problem is { } problem ? $" ({StatusHtml.Encode(problem)})" : string.Empty)}";
        page.Append($"""
            <section class="cluster">
            <h2>Cluster</h2>
            <p>This page is from member <strong>{StatusHtml.Encode(cluster.Member)}</strong>, which {lease}.</p>
            <table>
            <thead><tr><th>Member</th><th>API</th><th>SSH</th><th>Health</th></tr></thead>
            <tbody>

            """);
        foreach (var member in cluster.Members)
        {
            var health = member.Healthy ? "<span class=\"ok\">healthy</span>" : "<span class=\"failed\">unhealthy</span>";
            page.Append($"<tr><td>{StatusHtml.Encode(member.Name)}</td><td>{StatusHtml.Encode(member.Api ?? "")}</td><td>{StatusHtml.Encode(member.Ssh ?? "")}</td><td>{health}</td></tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }
}
