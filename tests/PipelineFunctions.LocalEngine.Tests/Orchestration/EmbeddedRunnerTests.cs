using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>The local runner: whole runs, reuse, resume after a crash or a failure, determinism, terminate and purge.</summary>
public sealed class EmbeddedRunnerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <param name="wrapStore">Decorates the run's artifact store (a test hook inside the steps).</param>
    private LocalHost Host(string name = "a", Func<IArtifactStore, IArtifactStore>? wrapStore = null) =>
        TestLocalHost.Open(_temp.Combine(name), wrapStore);

    private static PipelineRunRequest Request(string input, bool force = false, IReadOnlyList<string>? steps = null) =>
        new("vet_lva", input, Force: force, Steps: steps);

    private async Task<RunInstance> RunAsync(LocalHost host, PipelineRunRequest request, string id)
    {
        await host.Runner.CreateAsync(request, id);
        return await host.Runner.RunAsync(id);
    }

    private static async Task<RunSummary> SummaryAsync(LocalHost host, RunInstance instance) =>
        await host.SummaryAsync(instance) ?? throw new InvalidOperationException($"{instance.RuntimeStatus}: {instance.OutputJson}");

    /// <summary>SHA-256 of every export of a run's step 4.</summary>
    private async Task<Dictionary<string, string>> ExportsAsync(LocalHost host, RunSummary summary)
    {
        var step = summary.Steps.Single(s => s.Step == PipelineSteps.Recommendations);
        var result = new Dictionary<string, string>();
        foreach (var output in step.Outputs.Where(o => o.Name != "metadata.json"))
        {
            Assert.True(host.Services.Store.TryGetPath(output.Uri, out var path));
            result[output.Name] = await host.Services.Store.GetContentHashAsync(path);
        }
        return result;
    }

    [Fact]
    public async Task A_run_completes_a_second_one_reuses_every_step_and_force_runs_them_again()
    {
        await using var host = Host();
        var first = await RunAsync(host, Request(Repository.Sample("vet_lva")), "first");
        Assert.Equal(RuntimeStatuses.Completed, first.RuntimeStatus);
        var summary = await SummaryAsync(host, first);
        Assert.All(summary.Steps, s => Assert.Equal(StepStatuses.Succeeded, s.Status));
        Assert.True(summary.Steps.Single(s => s.Step == PipelineSteps.Recommendations).Metrics["visitors_with_recommendations"] >= 110);

        var again = await SummaryAsync(host, await RunAsync(host, Request(Repository.Sample("vet_lva")), "again"));
        Assert.All(again.Steps, s => Assert.Equal((StepStatuses.Reused, "first"), (s.Status, s.ReusedFromRunId)));
        Assert.Equal(await ExportsAsync(host, summary), await ExportsAsync(host, again));

        var forced = await SummaryAsync(host, await RunAsync(host, Request(Repository.Sample("vet_lva"), force: true), "forced"));
        Assert.All(forced.Steps, s => Assert.Equal(StepStatuses.Succeeded, s.Status));
        Assert.Equal(await ExportsAsync(host, summary), await ExportsAsync(host, forced));

        // One instance per id.
        await Assert.ThrowsAsync<InstanceExistsException>(() => host.Runner.CreateAsync(Request(Repository.Sample("vet_lva")), "first"));
    }

    [Fact]
    public async Task A_failed_run_resumes_from_the_failed_step_once_the_cause_is_gone()
    {
        var inputs = _temp.Combine("inputs");
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), inputs);
        await using var host = Host();
        Assert.Equal(RuntimeStatuses.Completed, (await RunAsync(host, Request(inputs), "good")).RuntimeStatus);

        // Break the registrations: step 1 fails on the new input, with the file named, and is not retried.
        var sessions = Path.Combine(inputs, "registration_LVS24_LVS25.json");
        var original = await File.ReadAllBytesAsync(sessions);
        await File.WriteAllTextAsync(sessions, "{ not json");
        var failed = await RunAsync(host, Request(inputs), "broken");
        Assert.Equal(RuntimeStatuses.Failed, failed.RuntimeStatus);
        var failure = await SummaryAsync(host, failed);
        Assert.Contains(Path.GetFileName(sessions), failure.Error);
        Assert.Equal(1, failure.Steps.Single().Attempts);
        // Durable's shape: the output is the error; the custom status says which step failed, why, and where the summary is.
        Assert.Equal(failure.Error, JsonSerializer.Deserialize<string>(failed.OutputJson!));
        var status = RunSummaries.Progress(failed.CustomStatusJson)!;
        Assert.Equal((PipelineSteps.DataPreparation, StepStatuses.Failed), (status.CurrentStep, status.Steps[PipelineSteps.DataPreparation].Status));
        Assert.Equal(failure.Error, status.Error);
        Assert.EndsWith($"runs/vet_lva/broken/{PipelineActivities.RunSummaryFile}", status.SummaryUri!.AbsolutePath);

        await File.WriteAllBytesAsync(sessions, original);
        var resumed = await host.Runner.ResumeAsync("broken");
        Assert.Equal(RuntimeStatuses.Completed, resumed.RuntimeStatus);
        Assert.Equal(StepStatuses.Reused, (await SummaryAsync(host, resumed)).Steps[0].Status); // the fixed input equals the good run's
    }

    [Fact]
    public async Task Replaying_a_history_that_does_not_match_the_orchestration_fails_with_a_non_determinism_error()
    {
        await using var host = Host();
        Assert.Equal(RuntimeStatuses.Completed, (await RunAsync(host, Request(Repository.Sample("vet_lva")), "run")).RuntimeStatus);
        var history = await host.RunStore.GetHistoryAsync("run");
        // Rewrite the recorded second event as another activity, then make the instance resumable.
        await host.RunStore.TruncateHistoryAsync("run", 1);
        await host.RunStore.AppendHistoryAsync("run", history[1] with { Name = PipelineActivityNames.ScoreRecommendationShard });
        foreach (var e in history.Skip(2)) await host.RunStore.AppendHistoryAsync("run", e);
        await host.RunStore.UpdateAsync("run", RuntimeStatuses.Running, null, null, DateTime.UtcNow);

        var replayed = await host.Runner.ResumeAsync("run");
        Assert.Equal(RuntimeStatuses.Failed, replayed.RuntimeStatus);
        Assert.Contains("replay expected activity 'ScoreRecommendationShard' at history event 1",
            JsonSerializer.Deserialize<string>(replayed.OutputJson!));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("%2e%2e%2fx")]
    [InlineData("C:\\x")]
    [InlineData("")]
    public async Task Instance_ids_that_could_leave_the_run_folder_are_refused_before_anything_is_created(string id)
    {
        await using var host = Host();
        var error = await Assert.ThrowsAsync<Core.PipelineInputException>(() => host.Runner.CreateAsync(Request(Repository.Sample("vet_lva")), id));
        Assert.Equal("instanceId", error.Field);
        Assert.Empty(await host.RunStore.ListAsync(new RunQuery()));
        Assert.False(Directory.Exists(_temp.Combine("a", "store")) && Directory.EnumerateFileSystemEntries(_temp.Combine("a", "store")).Any());
    }

    [Fact]
    public async Task Terminate_stops_a_pending_run_and_purge_removes_it()
    {
        await using var host = Host();
        await host.Runner.CreateAsync(Request(Repository.Sample("vet_lva")), "waiting");
        Assert.True(await host.Runner.TerminateAsync("waiting", "not needed"));
        var terminated = await host.RunStore.GetAsync("waiting");
        Assert.Equal(RuntimeStatuses.Terminated, terminated!.RuntimeStatus);
        Assert.False(await host.Runner.TerminateAsync("waiting", "again"));
        Assert.Equal(RuntimeStatuses.Terminated, (await host.Runner.RunAsync("waiting")).RuntimeStatus);
        Assert.True(await host.Runner.PurgeAsync("waiting"));
        Assert.Null(await host.RunStore.GetAsync("waiting"));
        Assert.Empty(await host.RunStore.GetHistoryAsync("waiting"));
    }

    [Theory]
    [InlineData(PipelineSteps.DataPreparation)]
    [InlineData(PipelineSteps.GraphPreparation)]
    [InlineData(PipelineSteps.Embeddings)]
    [InlineData(PipelineSteps.Recommendations)]
    public async Task A_run_killed_during_a_step_resumes_to_exports_identical_to_an_uninterrupted_run(string step)
    {
        var inputs = Repository.Sample("vet_lva");

        await using (var reference = Host("reference"))
        {
            var uninterrupted = await SummaryAsync(reference, await RunAsync(reference, Request(inputs), "whole"));
            var killedIn = await KillDuringAsync("killed", inputs, step);
            Assert.Equal(step, killedIn);

            await using var resumedHost = Host("killed");
            var before = await resumedHost.RunStore.GetHistoryAsync("run");
            var resumed = await resumedHost.Runner.ResumeAsync("run");
            Assert.Equal(RuntimeStatuses.Completed, resumed.RuntimeStatus);
            var after = await resumedHost.RunStore.GetHistoryAsync("run");
            // Nothing recorded before the kill was lost or run again: each old event is in the new history, unchanged.
            AssertKept(before, after);
            Assert.True(before.Count >= PipelineSteps.All.ToList().IndexOf(step) + 1);

            var resumedSummary = await SummaryAsync(resumedHost, resumed);
            Assert.Equal(await ExportsAsync(reference, uninterrupted), await ExportsAsync(resumedHost, resumedSummary));
            Assert.Equal(JsonSerializer.Serialize(await CountsAsync(reference)), JsonSerializer.Serialize(await CountsAsync(resumedHost)));
        }
    }

    [Fact]
    public async Task A_run_killed_in_the_middle_of_step_4s_shards_resumes_running_only_the_shards_not_done()
    {
        var inputs = Repository.Sample("vet_lva");
        // Shards of 7 visitors: the sample's 120 visitors make some twenty shards, run two at a time.
        var parameters = new Dictionary<string, string> { ["recommendation.shard_size"] = "7" };
        var request = new PipelineRunRequest("vet_lva", inputs, Parameters: parameters);
        await using var reference = Host("reference");
        var uninterrupted = await SummaryAsync(reference, await RunAsync(reference, request, "whole"));
        var shards = ShardsRun(await reference.RunStore.GetHistoryAsync("whole"));
        Assert.True(shards.Count >= 12, $"{shards.Count} shards");

        // Held at shard 9's candidates: the shards before it (and maybe one beside it) have finished and been recorded.
        StepBlockingStore? held = null;
        await using (var doomed = Host("killed", store => held = new StepBlockingStore(store,
                         $"runs/vet_lva/run/{PipelineSteps.Recommendations}/parts/candidates/00009")))
        {
            await doomed.Runner.CreateAsync(request, "run");
            using var kill = new CancellationTokenSource();
            var running = doomed.Runner.RunAsync("run", kill.Token);
            await held!.Entered.WaitAsync(TimeSpan.FromMinutes(2));
            await kill.CancelAsync();
            held.Release();
            Assert.Equal(RuntimeStatuses.Running, (await running.WaitAsync(TimeSpan.FromMinutes(1))).RuntimeStatus);
        }

        await using var resumedHost = Host("killed");
        var before = await resumedHost.RunStore.GetHistoryAsync("run");
        var doneBefore = ShardsRun(before);
        Assert.InRange(doneBefore.Count, 1, shards.Count - 1);
        Assert.DoesNotContain(9, doneBefore);
        var executed = new List<RunExecutionStats>();
        resumedHost.Runner.Executed += executed.Add;
        var resumed = await resumedHost.Runner.ResumeAsync("run");
        Assert.Equal(RuntimeStatuses.Completed, resumed.RuntimeStatus);

        var after = await resumedHost.RunStore.GetHistoryAsync("run");
        AssertKept(before, after);
        // Each shard ran once in the whole history: the ones done before the kill were replayed, not run again.
        Assert.Equal(shards.Order(), ShardsRun(after).Order());
        var resumedShards = after.Where(e => before.All(b => b.Sequence != e.Sequence))
            .Count(e => e.Name == PipelineActivityNames.ScoreRecommendationShard);
        Assert.Equal(shards.Count - doneBefore.Count, resumedShards);
        Assert.Equal(after.Count - before.Count, Assert.Single(executed).ActivitiesRun);
        Assert.All(after, e => Assert.True(Encoding.UTF8.GetByteCount(e.ResultJson ?? "") < RunStatusLimits.ActivityMessageBytes, e.Name));
        Assert.Equal(await ExportsAsync(reference, uninterrupted), await ExportsAsync(resumedHost, await SummaryAsync(resumedHost, resumed)));
    }

    /// <summary>The shard indexes of step 4's parts that completed in a history, each as often as it was recorded.</summary>
    private static List<int> ShardsRun(IReadOnlyList<HistoryEvent> history) =>
        history.Where(e => e.Name == PipelineActivityNames.ScoreRecommendationShard && e.FailureType is null)
            .Select(e => JsonSerializer.Deserialize<StepPartResult>(e.ResultJson!, PipelineJson.Options)!.Index).ToList();

    private static void AssertKept(IReadOnlyList<HistoryEvent> before, IReadOnlyList<HistoryEvent> after)
    {
        var now = after.ToDictionary(e => e.Sequence);
        Assert.All(before, e => Assert.Equal((e.Name, e.ResultJson), (now[e.Sequence].Name, now[e.Sequence].ResultJson)));
    }

    /// <summary>
    /// Runs the pipeline and stops it at its first write into the given step's run folder, the step's work under way:
    /// the run is cancelled there and the held write fails, so nothing of the step is recorded, as when the process
    /// is killed mid-step (a hook, not a timing race: a short step cannot slip past it). Returns the step the run's
    /// status showed when it stopped.
    /// </summary>
    private async Task<string?> KillDuringAsync(string name, string inputs, string step)
    {
        StepBlockingStore? held = null;
        await using var doomed = Host(name, store => held = new StepBlockingStore(store, $"runs/vet_lva/run/{step}/"));
        await doomed.Runner.CreateAsync(Request(inputs), "run");
        using var kill = new CancellationTokenSource();
        var running = doomed.Runner.RunAsync("run", kill.Token);
        await held!.Entered.WaitAsync(TimeSpan.FromMinutes(2));
        var instance = await doomed.RunStore.GetAsync("run");
        await kill.CancelAsync();
        held.Release();
        var stopped = await running.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(RuntimeStatuses.Running, stopped.RuntimeStatus); // left as a crash leaves it: for resume to pick up
        return RunSummaries.Progress(instance?.CustomStatusJson)?.CurrentStep;
    }

    private static async Task<GraphCounts> CountsAsync(LocalHost host)
    {
        var config = Core.Events.EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));
        await using var graph = await host.Services.Graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev"));
        return await graph.CountAsync();
    }
}
