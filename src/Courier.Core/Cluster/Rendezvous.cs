using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Courier.Core.Cluster;

/// <summary>
/// Rendezvous (highest random weight) hashing: a key belongs to the member whose hash with it is highest. Every member
/// computes the same owner from the same member list, and when a member joins or leaves only the keys it wins or held
/// move; every other key keeps its owner.
/// </summary>
internal static class Rendezvous
{
    /// <summary>The owner of <paramref name="key"/> among <paramref name="members"/> (not empty).</summary>
    public static string OwnerOf(string key, IReadOnlyCollection<string> members)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        return members.MaxBy(member => (Weight(member, key), member), WeightComparer.Instance)!;
    }

    private static ulong Weight(string member, string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(member + "\n" + key), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>By weight, then by name: two members with equal weights (practically never) still agree everywhere.</summary>
    private sealed class WeightComparer : IComparer<(ulong Weight, string Member)>
    {
        public static readonly WeightComparer Instance = new();

        public int Compare((ulong Weight, string Member) x, (ulong Weight, string Member) y) =>
            x.Weight != y.Weight ? x.Weight.CompareTo(y.Weight) : string.CompareOrdinal(x.Member, y.Member);
    }
}
