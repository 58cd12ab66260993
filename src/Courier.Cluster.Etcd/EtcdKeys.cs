using System.Text;
using Google.Protobuf;

namespace Courier.Cluster.Etcd;

/// <summary>
/// Where the cluster keeps its keys, under <c>/NAME/</c>: <c>members/MEMBER</c>, <c>locks/SOURCE</c>,
/// <c>pending/SOURCE/TIME-ID</c>, <c>running/SOURCE</c>, <c>holds/SOURCE</c>, <c>reports/ID</c>, <c>shares/MEMBER/ID</c> and <c>answers/ID</c>. Names are escaped, so a source id with a '/' never reaches into another's range.
/// </summary>
internal sealed class EtcdKeys(string clusterName)
{
    private readonly string _root = $"/{clusterName}/";

    public string MembersPrefix => _root + "members/";

    public string Member(string name) => MembersPrefix + Uri.EscapeDataString(name);

    public string Lock(string sourceId) => _root + "locks/" + Uri.EscapeDataString(sourceId);

    public string PendingPrefix(string sourceId) => AllPendingPrefix + Uri.EscapeDataString(sourceId) + "/";

    public string AllPendingPrefix => _root + "pending/";

    public string RunningPrefix => _root + "running/";

    public string ReportsPrefix => _root + "reports/";

    public string HoldsPrefix => _root + "holds/";

    public string Hold(string sourceId) => HoldsPrefix + Uri.EscapeDataString(sourceId);

    /// <summary>A report's key; update ids are letters, digits and a dash, so they need no escaping.</summary>
    public string Report(string updateId) => ReportsPrefix + updateId;

    /// <summary>The shares handed to a member: <c>shares/MEMBER/ID</c>.</summary>
    public string SharesPrefix(string member) => _root + "shares/" + Uri.EscapeDataString(member) + "/";

    public string Share(string member, string orderId) => SharesPrefix(member) + Uri.EscapeDataString(orderId);

    public string Answer(string orderId) => _root + "answers/" + Uri.EscapeDataString(orderId);

    public string Running(string sourceId) => RunningPrefix + Uri.EscapeDataString(sourceId);

    /// <summary>The source of a <c>pending/SOURCE/...</c> or <c>running/SOURCE</c> key.</summary>
    public string SourceOf(string key, string prefix)
    {
        var rest = key[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return Uri.UnescapeDataString(slash < 0 ? rest : rest[..slash]);
    }

    /// <summary>A new pending key of the source, sorting after every earlier one.</summary>
    public string NewPending(string sourceId, DateTimeOffset at) => PendingPrefix(sourceId) + $"{at.UtcTicks:D20}-{Guid.NewGuid():N}";

    public static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>The end of the range of every key starting with <paramref name="prefix"/> (its last byte plus one).</summary>
    public static ByteString RangeEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }
}
