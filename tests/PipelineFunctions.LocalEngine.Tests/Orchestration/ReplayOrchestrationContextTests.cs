using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

public sealed class ReplayOrchestrationContextTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("pf-context-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_sandbox, recursive: true);
    }

    /// <summary>A clock the test moves by hand: the context measures activities with its timestamps.</summary>
    private sealed class HandClock : TimeProvider
    {
        public long Seconds;

        public override long TimestampFrequency => 1;

        public override long GetTimestamp() => Interlocked.Read(ref Seconds);
    }

    [Fact]
    public async Task Activity_time_counts_parallel_activities_once_so_the_overhead_outside_them_is_never_negative()
    {
        var store = new SqliteRunStore(Path.Combine(_sandbox, "runs.sqlite"));
        var created = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc);
        await store.TryCreateAsync(new RunInstance("i", "test", RuntimeStatuses.Running, "{}", null, null, created, created, "lva"));
        var clock = new HandClock();
        var finish = new ConcurrentDictionary<string, TaskCompletionSource<object?>>();
        var entered = new SemaphoreSlim(0);
        var context = new ReplayOrchestrationContext("i", created, store, [], (name, _, _) =>
        {
            entered.Release();
            return finish.GetOrAdd(name, _ => new TaskCompletionSource<object?>()).Task;
        }, clock, CancellationToken.None, maxParallelActivities: 2);
        void Finish(string name) => finish.GetOrAdd(name, _ => new TaskCompletionSource<object?>()).SetResult(name);

        // Two parts side by side: a from 0 s to 10 s, b from 0 s to 30 s; then c alone from 40 s to 45 s.
        var a = context.CallActivityAsync<string>("a", null);
        var b = context.CallActivityAsync<string>("b", null);
        await entered.WaitAsync();
        await entered.WaitAsync();
        clock.Seconds = 10;
        Finish("a");
        Assert.Equal("a", await a);
        clock.Seconds = 30;
        Finish("b");
        Assert.Equal("b", await b);
        clock.Seconds = 40;
        var c = context.CallActivityAsync<string>("c", null);
        await entered.WaitAsync();
        clock.Seconds = 45;
        Finish("c");
        Assert.Equal("c", await c);

        Assert.Equal(3, context.ActivitiesRun);
        // Busy from 0 s to 30 s and from 40 s to 45 s; the sum of the three durations would be 45 s.
        Assert.Equal(TimeSpan.FromSeconds(35), context.ActivityTime);
        Assert.Equal(3, (await store.GetHistoryAsync("i")).Count);
    }
}
