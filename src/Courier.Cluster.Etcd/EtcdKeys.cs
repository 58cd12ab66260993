using System.Text;
using Google.Protobuf;

namespace Courier.Cluster.Etcd;

/// <summary>
/// Where the cluster keeps its keys, under <c>/NAME/</c>: <c>members/MEMBER</c>, <c>locks/SOURCE</c> and
/// <c>pending/SOURCE/TIME-ID</c>. Names are escaped, so a source id with a '/' never reaches into another's range.
/// </summary>
internal sealed class EtcdKeys(string clusterName)
{
    private readonly string _root = $"/{clusterName}/";

    public string MembersPrefix => _root + "members/";

    public string Member(string name) => MembersPrefix + Uri.EscapeDataString(name);

    public string Lock(string sourceId) => _root + "locks/" + Uri.EscapeDataString(sourceId);

    public string PendingPrefix(string sourceId) => _root + "pending/" + Uri.EscapeDataString(sourceId) + "/";

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
