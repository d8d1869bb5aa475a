using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>
/// Taking over interrupted instances, with two runners (two processes' engines) on one run store: each instance executed
/// by exactly one; one that lost its lease mid-run stops and writes no more history.
/// </summary>
public sealed class InstanceRecoveryTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly Microsoft.Extensions.Logging.Testing.FakeLoggerProvider _logs = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A runner over the shared run store, artifact store and graph, as a second `pa serve` on the same folders.</summary>
    private LocalHost Host(TimeSpan lease, Func<IArtifactStore, IArtifactStore>? wrapStore = null, int maxRuns = 2) =>
        TestLocalHost.Open(_temp.Path, wrapStore, loggers: LoggerFactory.Create(logging => logging.AddProvider(_logs)), maxRuns: maxRuns,
            lease: lease);

    /// <summary>A recovery scan started from its own thread, as in its own process: the executions it queues go to the thread
    /// pool's shared queue, in step with the other runner's, not to the front of this thread's local one.</summary>
    private static Task<IReadOnlyList<RunInstance>> ScanAsync(LocalHost host) => Task.Factory.StartNew(
        () => host.Runner.RecoverInterruptedAsync(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    [Fact]
    public async Task Two_runners_recovering_the_same_instances_at_once_execute_each_exactly_once_and_leave_finished_ones_alone()
    {
        await using var a = Host(TimeSpan.FromSeconds(30), maxRuns: 4);
        await using var b = Host(TimeSpan.FromSeconds(30), maxRuns: 4);
        // Runs that fail fast (their input folder does not exist), so many can be executed: planning fails, the summary is published.
        var ids = Enumerable.Range(0, 16).Select(i => $"orphan-{i:D2}").ToList();
        foreach (var id in ids) await a.Runner.CreateAsync(new PipelineRunRequest("vet_lva", _temp.Combine("missing")), id);
        await a.Runner.CreateAsync(new PipelineRunRequest("vet_lva", _temp.Combine("missing")), "stopped");
        await a.Runner.TerminateAsync("stopped", "not wanted");
        var executions = new ConcurrentBag<(string Runner, string Id)>();
        a.Runner.Executed += stats => executions.Add(("a", stats.InstanceId));
        b.Runner.Executed += stats => executions.Add(("b", stats.InstanceId));
        var recovering = new ConcurrentBag<string>();
        a.Runner.Recovering += instance => recovering.Add(instance.InstanceId);
        b.Runner.Recovering += instance => recovering.Add(instance.InstanceId);

        // Both scan the same list at the same moment, again and again until every instance ended (as their periodic scans would).
        var firstScans = await Task.WhenAll(ScanAsync(a), ScanAsync(b));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while ((await a.RunStore.ListAsync(new RunQuery([RuntimeStatuses.Pending, RuntimeStatuses.Running]))).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the instances were not all executed within 3 minutes");
            await Task.WhenAll(ScanAsync(a), ScanAsync(b));
            await Task.Delay(100);
        }
        await Task.WhenAll(ids.SelectMany(id => new[] { a.Runner.WaitAsync(id), b.Runner.WaitAsync(id) }));

        Assert.Equal(ids, executions.Select(e => e.Id).Order());
        Assert.Equal(ids, recovering.Order());
        // The races were real: in the first scans both runners queued most instances (each runner wins some or all, as the
        // thread pool has it), and no execution stopped on a conflict with the other.
        Assert.True(firstScans.Sum(scan => scan.Count) > ids.Count, string.Join(" / ", firstScans.Select(scan => scan.Count)));
        Assert.DoesNotContain(_logs.Collector.GetSnapshot(),
            log => log.Category == typeof(EmbeddedOrchestrationRunner).FullName && log.Level >= LogLevel.Warning);
        foreach (var id in ids)
        {
            var instance = (await a.RunStore.GetAsync(id))!;
            Assert.True(instance.RuntimeStatus == RuntimeStatuses.Failed, $"{id}: {instance.RuntimeStatus} {instance.OutputJson}");
            var history = await a.RunStore.GetHistoryAsync(id);
            Assert.Single(history, e => e.Name == PipelineActivityNames.PlanRun);
            Assert.Single(history, e => e.Name == PipelineActivityNames.PublishRunSummary);
        }
        Assert.Equal(RuntimeStatuses.Terminated, (await a.RunStore.GetAsync("stopped"))!.RuntimeStatus);
        Assert.Empty(await a.RunStore.GetHistoryAsync("stopped"));
        Assert.Empty(await a.Runner.ListInterruptedAsync());
    }

    [Fact]
    public async Task A_runner_whose_lease_is_taken_over_mid_step_stops_at_its_next_renewal_and_records_nothing_more()
    {
        StepBlockingStore? held = null;
        await using var host = Host(TimeSpan.FromSeconds(2),
            store => held = new StepBlockingStore(store, $"runs/vet_lva/run/{PipelineSteps.DataPreparation}/"));
        await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva")), "run");
        var running = host.Runner.RunAsync("run");
        await held!.Entered.WaitAsync(TimeSpan.FromMinutes(2));
        var before = await host.RunStore.GetHistoryAsync("run");

        // Another process decides the lease expired (its clock says so) and takes the instance.
        Assert.True(await host.RunStore.TryAcquireLeaseAsync("run", "other-process", DateTime.UtcNow.AddHours(1), DateTime.UtcNow.AddHours(1)));

        // The step is held until the run is cancelled: only the renewal noticing the lost lease can end it.
        var stopped = await running.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(RuntimeStatuses.Running, stopped.RuntimeStatus);
        Assert.Equal(before, await host.RunStore.GetHistoryAsync("run"));
        Assert.Equal(["run"], (await host.RunStore.ListClaimableAsync(DateTime.UtcNow.AddHours(2))).Select(i => i.InstanceId));
        Assert.Empty(await host.RunStore.ListClaimableAsync(DateTime.UtcNow));
    }

    [Fact]
    public async Task An_activity_that_finishes_after_its_runner_lost_the_lease_is_not_recorded()
    {
        GatedWriteStore? gate = null;
        // A lease long enough that no renewal comes during the test: what stops the write is the store's fence, not a renewal.
        await using var host = Host(TimeSpan.FromMinutes(5),
            store => gate = new GatedWriteStore(store, $"runs/vet_lva/run/{PipelineSteps.DataPreparation}/"));
        await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva")), "run");
        var running = host.Runner.RunAsync("run");
        await gate!.Entered.WaitAsync(TimeSpan.FromMinutes(2));
        var before = await host.RunStore.GetHistoryAsync("run");
        Assert.DoesNotContain(before, e => e.Name == PipelineActivityNames.PrepareData);

        Assert.True(await host.RunStore.TryAcquireLeaseAsync("run", "other-process", DateTime.UtcNow.AddHours(1), DateTime.UtcNow.AddHours(1)));
        gate.Open();

        // Step 1's activity completes, but its result is not recorded, and the run stops there: the new owner runs it instead.
        var stopped = await running.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(RuntimeStatuses.Running, stopped.RuntimeStatus);
        Assert.Equal(before, await host.RunStore.GetHistoryAsync("run"));
        Assert.Equal(["run"], (await host.RunStore.ListClaimableAsync(DateTime.UtcNow.AddHours(2))).Select(i => i.InstanceId));
    }
}
