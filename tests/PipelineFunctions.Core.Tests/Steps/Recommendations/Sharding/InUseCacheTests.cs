using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

/// <summary>Shards side by side share one load of the scoring context; a failed load is never handed to a later user.</summary>
public sealed class InUseCacheTests
{
    [Fact]
    public async Task Users_side_by_side_share_one_load_per_key()
    {
        var cache = new InUseCache<object>();
        var loads = 0;
        var release = new TaskCompletionSource();
        Func<Task<object>> Load(string name) => async () =>
        {
            Interlocked.Increment(ref loads);
            await release.Task;
            return name;
        };
        var both = new TaskCompletionSource();
        var arrived = 0;
        // Each user holds the value until both have it: the second arrives while the first is still in use.
        async Task<object> Use(object value)
        {
            if (Interlocked.Increment(ref arrived) == 3) both.SetResult();
            await both.Task;
            return value;
        }

        var first = cache.UseAsync("a", Load("a1"), Use);
        var second = cache.UseAsync("a", Load("a2"), Use);
        var other = cache.UseAsync("b", Load("b"), Use);
        release.SetResult();

        Assert.Same(await first, await second);
        Assert.Equal("a1", await second);
        Assert.Equal("b", await other);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task A_failed_load_is_not_kept()
    {
        var cache = new InUseCache<object>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            cache.UseAsync<object>("a", () => throw new InvalidOperationException("cut context"), Task.FromResult));
        Assert.Equal("cut context", error.Message);

        Assert.Equal("loaded", await cache.UseAsync<object>("a", () => Task.FromResult<object>("loaded"), Task.FromResult));
    }
}
