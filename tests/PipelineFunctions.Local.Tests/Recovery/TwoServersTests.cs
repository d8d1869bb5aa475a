using System.Diagnostics;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Serve;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Recovery;

/// <summary>
/// Two `pa serve` processes on one run store: a run is executed by one of them at a time (the lease), and when that one
/// dies, the other takes its runs over through its periodic recovery scan once their leases expire.
/// </summary>
[Collection(ServeRunsCollection.Name)]
public sealed class TwoServersTests
{
    [Fact]
    public async Task Two_servers_never_execute_a_run_together_and_the_survivor_completes_the_dead_ones_runs()
    {
        using var workspace = new ServeWorkspace();
        await using var first = await workspace.StartServeAsync();
        await using var second = await workspace.StartServeAsync();
        string[] ids = ["run-a", "run-b"];
        // Each run on a graph of its own: on a shared one, step 3 of the later run finds vectors the other already stored, and
        // embeds fewer batches, so the two histories would differ by timing alone.
        var environments = new Dictionary<string, string> { ["run-a"] = "test", ["run-b"] = "prod" };
        foreach (var id in ids) await ServeWorkspace.SubmitAsync(first, id, graphEnvironment: environments[id]);

        // While both live, each run's lease is held by one process throughout: sampled until both runs are past step 1.
        var holders = ids.ToDictionary(id => id, _ => new HashSet<int>());
        await ServeWorkspace.WaitUntilAsync(async () =>
        {
            foreach (var id in ids)
                if (await workspace.LeaseHolderAsync(id) is { } holder) holders[id].Add(holder);
            var instances = await Task.WhenAll(ids.Select(workspace.InstanceAsync));
            Assert.All(instances, i => Assert.False(RuntimeStatuses.IsFinal(i!.RuntimeStatus), $"{i!.InstanceId} ended before the kill"));
            return instances.All(i => RunSummaries.Progress(i!.CustomStatusJson) is { StepsDone: >= 1 });
        }, "both runs to get past step 1", TimeSpan.FromMilliseconds(50));
        Assert.All(ids, id => Assert.Single(holders[id]));
        Assert.All(ids, id => Assert.Contains(holders[id].Single(), new[] { first.Id, second.Id }));
        // The first server accepted both; the second may have claimed one only in the instant before the first did.
        var orphaned = ids.Where(id => holders[id].Single() == first.Id).ToList();
        Assert.NotEmpty(orphaned);
        Assert.DoesNotContain("Resuming interrupted run", second.Errors);

        await first.KillAsync();
        var killedAt = Stopwatch.StartNew();
        // Taken over once the lease (2 s) expired, at the next scan (every third of it): well within half a minute.
        foreach (var id in orphaned)
            await ServeWorkspace.WaitUntilAsync(async () => await workspace.LeaseHolderAsync(id) == second.Id
                || (await workspace.InstanceAsync(id))!.RuntimeStatus == RuntimeStatuses.Completed, $"{id} to be taken over");
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(30), $"taken over only {killedAt.Elapsed} after the kill");

        var completed = new List<RunInstance>();
        foreach (var id in ids) completed.Add(await workspace.WaitCompletedAsync(id));
        Assert.All(orphaned, id => Assert.Contains($"Resuming interrupted run {id} (left Running by a process that stopped)", second.Errors));
        // The lease goes just after the final status is written (once no activity is executing): wait for it, do not race it.
        await ServeWorkspace.WaitUntilAsync(async () =>
        {
            foreach (var id in ids)
                if (await workspace.LeaseHolderAsync(id) is not null) return false;
            return true;
        }, "both leases to be released");

        // Both runs did the same work once: the same activities in the same order, none failed, none recorded twice.
        var histories = new List<IReadOnlyList<HistoryEvent>>();
        foreach (var id in ids) histories.Add(await workspace.HistoryAsync(id));
        Assert.Equal(histories[0].Select(e => (e.Kind, e.Name)), histories[1].Select(e => (e.Kind, e.Name)));
        Assert.All(histories, history =>
        {
            Assert.Equal(Enumerable.Range(0, history.Count), history.Select(e => e.Sequence));
            Assert.All(history, e => Assert.Null(e.FailureType));
            Assert.Single(history, e => e.Name == PipelineActivityNames.PlanRun);
            Assert.Single(history, e => e.Name == PipelineActivityNames.FinishRecommendations);
        });
        var exports = completed.Select(ServeWorkspace.Exports).ToList();
        Assert.Equal(exports[0].Keys.Order(), exports[1].Keys.Order());
        Assert.All(exports[0], export => Assert.True(export.Value.AsSpan().SequenceEqual(exports[1][export.Key]), export.Key));
    }
}
