using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>
/// The drain of a graceful shutdown: once it begins no activity, fan-out part or timer starts, the activities already
/// executing finish and are recorded, and the runner leaves unfinished runs resumable.
/// </summary>
public sealed class DrainTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task Once_draining_a_fan_outs_executing_parts_finish_and_are_recorded_and_no_other_part_activity_or_timer_starts()
    {
        var store = new SqliteRunStore(_temp.Combine("runs.sqlite"));
        var created = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc);
        await store.TryCreateAsync(new RunInstance("i", "test", RuntimeStatuses.Running, "{}", null, null, created, created, "lva"));
        var finish = new ConcurrentDictionary<string, TaskCompletionSource<object?>>();
        var started = new ConcurrentQueue<string>();
        var entered = new SemaphoreSlim(0);
        using var drain = new CancellationTokenSource();
        using var context = new ReplayOrchestrationContext("i", created, store, [], (name, _, _) =>
        {
            started.Enqueue(name);
            entered.Release();
            return finish.GetOrAdd(name, _ => new TaskCompletionSource<object?>()).Task;
        }, TimeProvider.System, CancellationToken.None, maxParallelActivities: 2, drain: drain.Token);

        // A fan-out of four parts, two places: parts 1 and 2 execute, 3 and 4 wait for a place.
        var parts = Enumerable.Range(1, 4).Select(i => context.CallActivityAsync<string>($"part{i}", null)).ToList();
        Assert.True(await entered.WaitAsync(Patience));
        Assert.True(await entered.WaitAsync(Patience));
        Assert.Equal(2, context.ActivitiesExecuting);

        await drain.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parts[2]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parts[3]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.CallActivityAsync<string>("after", null));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.CreateTimerAsync(created.AddMinutes(1), CancellationToken.None));
        var idle = context.WhenIdleAsync();
        Assert.False(idle.IsCompleted, "idle while two parts execute");

        finish.GetOrAdd("part1", _ => new TaskCompletionSource<object?>()).SetResult("one");
        finish.GetOrAdd("part2", _ => new TaskCompletionSource<object?>()).SetResult("two");
        Assert.Equal("one", await parts[0]);
        Assert.Equal("two", await parts[1]);
        await idle.WaitAsync(Patience);

        Assert.Equal(["part1", "part2"], started.Order());
        var history = await store.GetHistoryAsync("i");
        Assert.Equal(["part1", "part2"], history.Select(e => e.Name));
        Assert.All(history, e => Assert.Null(e.FailureType));
    }

    [Fact]
    public async Task A_drained_runner_refuses_new_runs_cancels_a_step_past_the_grace_period_and_leaves_the_run_resumable()
    {
        StepBlockingStore? held = null;
        var request = new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva"));
        await using (var stopping = Host(store => held = new StepBlockingStore(store, $"runs/vet_lva/run/{PipelineSteps.GraphPreparation}/")))
        {
            await stopping.Runner.StartAsync(request, "run");
            await held!.Entered.WaitAsync(Patience);

            var start = stopping.Runner.BeginShutdown();
            Assert.Equal(["run"], start.InstanceIds);
            // The held activity, and maybe a fan-out part beside it.
            Assert.InRange(start.ActivitiesExecuting, 1, 2);
            await Assert.ThrowsAsync<RunnerShuttingDownException>(() => stopping.Runner.StartAsync(request, "refused"));
            Assert.Null(await stopping.RunStore.GetAsync("refused"));

            // The held write ends only when cancelled: the grace period runs out.
            var outcome = await stopping.Runner.CompleteShutdownAsync(TimeSpan.FromMilliseconds(500)).WaitAsync(Patience);
            Assert.InRange(outcome.ActivitiesCancelled, 1, start.ActivitiesExecuting);
            Assert.Empty(outcome.LeasesKept);
            Assert.Equal(RuntimeStatuses.Running, Assert.Single(outcome.Runs).RuntimeStatus);
            var now = DateTime.UtcNow;
            Assert.True(await stopping.RunStore.TryAcquireLeaseAsync("run", "next-process", now.AddSeconds(5), now), "the lease was kept");
            await stopping.RunStore.ReleaseLeaseAsync("run", "next-process");
            // Left for the next process: the stopping one does not take its own run back through a recovery scan.
            // (Once this runner has let go of it: its bookkeeping of the ended execution clears a moment after the end.)
            var deadline = DateTime.UtcNow + Patience;
            while ((await stopping.Runner.ListInterruptedAsync()).Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the stopped run was never left for another process");
                await Task.Delay(20);
            }
            Assert.Empty(await stopping.Runner.RecoverInterruptedAsync());
            // The cancelled activity is not recorded, not even as a failure.
            Assert.All(await stopping.RunStore.GetHistoryAsync("run"), e => Assert.Null(e.FailureType));
        }

        await using var next = Host();
        Assert.Equal(RuntimeStatuses.Completed, (await next.Runner.ResumeAsync("run").WaitAsync(Patience)).RuntimeStatus);
    }

    private LocalHost Host(Func<Core.Artifacts.IArtifactStore, Core.Artifacts.IArtifactStore>? wrapStore = null) =>
        TestLocalHost.Open(_temp.Path, wrapStore);
}
