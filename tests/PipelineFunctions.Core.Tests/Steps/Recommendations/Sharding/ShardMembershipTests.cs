using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

public sealed class ShardMembershipTests
{
    private static List<string> Badges(int count, string prefix = "B") => Enumerable.Range(0, count).Select(i => $"{prefix}{i:D6}").ToList();

    [Theory]
    [InlineData(1, 5000)]
    [InlineData(120, 7)]
    [InlineData(10_000, 1000)]
    [InlineData(10_000, 1)]
    public void Every_visitor_is_in_exactly_one_shard_of_at_most_the_shard_size(int visitors, int shardSize)
    {
        var badges = Badges(visitors);
        var shards = ShardMembership.Assign(badges, shardSize);
        Assert.All(shards, s => Assert.InRange(s.Count, 1, shardSize));
        Assert.Equal(badges.Order(StringComparer.Ordinal), shards.SelectMany(s => s).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_few_new_visitors_change_only_the_shards_they_fall_into()
    {
        var before = ShardMembership.Assign(Badges(10_000), 1000);
        var after = ShardMembership.Assign(Badges(10_000).Concat(Badges(5, "NEW")), 1000);
        Assert.True(before.Count >= 16, $"{before.Count} shards");
        var unchanged = after.Count(shard => before.Any(b => b.SequenceEqual(shard)));
        Assert.InRange(unchanged, after.Count - 5, after.Count - 1);
    }

    [Fact]
    public void Badges_spread_over_every_bucket()
    {
        var buckets = Enumerable.Range(0, 400).Select(i => ShardMembership.Bucket($"V{i}", 8)).ToList();
        Assert.All(Enumerable.Range(0, 8), b => Assert.InRange(buckets.Count(x => x == b), 25, 75));
    }
}
