using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// Which shard each visitor is scored in. Visitors fall into hash buckets of their badge id (a power-of-two count, the
/// smallest that fills buckets to at most three quarters of the shard size on average), so the bucket of a visitor does
/// not depend on who else registered: a weekly run with a few new visitors changes only the shards those visitors fall
/// into, and the others are reused. A bucket that still holds more than the shard size is cut into equal runs of its
/// members in badge id order. The bucket count changes only when the show doubles or halves.
/// </summary>
internal static class ShardMembership
{
    /// <summary>The shards, each a list of badge ids in ordinal order; empty buckets give no shard.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Assign(IEnumerable<string> badgeIds, int shardSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        var ids = badgeIds.ToArray();
        var buckets = 1;
        while (buckets < (1 << 24) && (double)ids.Length / buckets > shardSize * 0.75) buckets *= 2;
        var members = new List<string>[buckets];
        foreach (var id in ids) (members[Bucket(id, buckets)] ??= []).Add(id);

        var shards = new List<IReadOnlyList<string>>();
        foreach (var bucket in members)
        {
            if (bucket is null) continue;
            bucket.Sort(StringComparer.Ordinal);
            var parts = (bucket.Count + shardSize - 1) / shardSize;
            for (var p = 0; p < parts; p++)
            {
                int start = (int)((long)bucket.Count * p / parts), end = (int)((long)bucket.Count * (p + 1) / parts);
                shards.Add(bucket.GetRange(start, end - start));
            }
        }
        return shards;
    }

    /// <summary>A stable bucket (the same in every process and version of .NET, unlike string.GetHashCode).</summary>
    public static int Bucket(string badgeId, int buckets)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(badgeId), hash);
        return (int)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)buckets);
    }
}
