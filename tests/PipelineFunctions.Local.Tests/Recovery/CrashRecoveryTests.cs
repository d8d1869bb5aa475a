using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Local.Tests.Serve;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Recovery;

/// <summary>
/// Crash and restart, as Durable's host does it: a `pa serve` process killed (SIGKILL) inside a step, a new one started on
/// the same run store, and the run completes with no command typed, its exports byte-identical to an uninterrupted run's
/// and no activity recorded twice or lost.
/// </summary>
[Collection(ServeRunsCollection.Name)]
public sealed class CrashRecoveryTests(UninterruptedRunFixture uninterrupted) : IClassFixture<UninterruptedRunFixture>
{
    /// <summary>The part of a run the first server dies in: a step, or the middle of step 4's fan-out.</summary>
    public const string MidFanOut = "recommendations shards";

    [Theory]
    [InlineData(PipelineSteps.DataPreparation)]
    [InlineData(PipelineSteps.GraphPreparation)]
    [InlineData(PipelineSteps.Embeddings)]
    [InlineData(PipelineSteps.Recommendations)]
    [InlineData(MidFanOut)]
    public async Task A_server_killed_inside_a_run_is_restarted_and_the_run_completes_by_itself(string killedIn)
    {
        using var workspace = new ServeWorkspace();
        const string id = "run";
        await using (var doomed = await workspace.StartServeAsync())
        {
            await ServeWorkspace.SubmitAsync(doomed, id, UninterruptedRunFixture.Parameters);
            await ServeWorkspace.WaitUntilAsync(() => InsideAsync(workspace, id, killedIn), $"{id} to reach {killedIn}",
                TimeSpan.FromMilliseconds(20));
            await doomed.KillAsync();
        }
        // The store shows the run died where it was meant to: it is no proof of recovery otherwise.
        Assert.True(await InsideAsync(workspace, id, killedIn), $"the server was killed after {killedIn} had ended");
        var before = await workspace.HistoryAsync(id);
        Assert.Equal(RuntimeStatuses.Running, (await workspace.InstanceAsync(id))!.RuntimeStatus);

        await using var restarted = await workspace.StartServeAsync();
        var completed = await workspace.WaitCompletedAsync(id);

        // Said at start: resumed at once, or once the dead server's lease (2 s) runs out, depending on how fast it started.
        Assert.True(restarted.Errors.Contains($"resuming 1 run interrupted: {id}")
            || restarted.Errors.Contains($"1 run leased by another process ({id}): taken over here if it stops renewing the lease (2 s)"),
            restarted.Errors);
        Assert.Contains($"Resuming interrupted run {id} (left Running by a process that stopped)", restarted.Errors);
        var after = await workspace.HistoryAsync(id);
        // Everything recorded before the kill was replayed, not run again: each event is still there, unchanged.
        var now = after.ToDictionary(e => e.Sequence);
        Assert.All(before, e => Assert.Equal((e.Name, e.ResultJson), (now[e.Sequence].Name, now[e.Sequence].ResultJson)));
        Assert.True(after.Count > before.Count);
        // The same activities as the uninterrupted run, in the same order: none completed twice, none missing, none failed.
        Assert.Equal(uninterrupted.History.Select(e => (e.Kind, e.Name)), after.Select(e => (e.Kind, e.Name)));
        Assert.Equal(Enumerable.Range(0, after.Count), after.Select(e => e.Sequence));
        Assert.All(after, e => Assert.Null(e.FailureType));
        Assert.Equal(ShardIndexes(uninterrupted.History).Order(), ShardIndexes(after).Order());

        var exports = ServeWorkspace.Exports(completed);
        Assert.Equal(uninterrupted.Exports.Keys.Order(), exports.Keys.Order());
        Assert.All(uninterrupted.Exports, export => Assert.True(export.Value.AsSpan().SequenceEqual(exports[export.Key]), export.Key));
    }

    /// <summary>Whether the run store shows the run inside that part: the step started and not ended; for the fan-out, some of
    /// step 4's shards recorded and not all.</summary>
    private async Task<bool> InsideAsync(ServeWorkspace workspace, string id, string part)
    {
        if (part == MidFanOut)
        {
            var history = await workspace.HistoryAsync(id);
            var shards = ShardIndexes(history).Count;
            return shards >= 3 && shards < ShardIndexes(uninterrupted.History).Count
                && history.All(e => e.Name != PipelineActivityNames.FinishRecommendations);
        }
        return (await workspace.ProgressAsync(id))?.Steps.GetValueOrDefault(part)?.Status == StepStatuses.Running;
    }

    private static List<int> ShardIndexes(IReadOnlyList<HistoryEvent> history) =>
        history.Where(e => e.Name == PipelineActivityNames.ScoreRecommendationShard && e.FailureType is null)
            .Select(e => JsonSerializer.Deserialize<StepPartResult>(e.ResultJson!, PipelineJson.Options)!.Index).ToList();
}
