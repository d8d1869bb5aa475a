using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Commands;

/// <summary>
/// `pa serve`'s graceful stop, between the first SIGTERM/Ctrl-C and stopping the web server: the runner drains (the
/// API answers submissions 503, reads go on), the activities in flight get the grace period, and every run left
/// unfinished stays resumable. Says on standard error what it does.
/// </summary>
internal static class ServeShutdown
{
    public static async Task RunAsync(EmbeddedOrchestrationRunner runner, TimeSpan grace, TextWriter error)
    {
        var start = runner.BeginShutdown();
        var seconds = $"{grace.TotalSeconds:0} s";
        await error.WriteLineAsync(start.InstanceIds.Count == 0
            ? "shutting down: no runs in flight; new runs are refused (503)"
            : $"shutting down: {Count(start.InstanceIds.Count, "run")} in flight, {Count(start.ActivitiesExecuting, "activity", "activities")} "
                + $"executing; new runs are refused (503); waiting up to {seconds} for the executing activities to finish "
                + "(Ctrl-C again to stop at once)");
        var outcome = await runner.CompleteShutdownAsync(grace);
        if (outcome.ActivitiesCancelled > 0)
            await error.WriteLineAsync($"grace period of {seconds} over: cancelled {Count(outcome.ActivitiesCancelled, "activity", "activities")} "
                + "still executing (they run again when the run is resumed)");
        foreach (var run in outcome.Runs)
            await error.WriteLineAsync(Line(run, outcome.LeasesKept.Contains(run.InstanceId)));
    }

    private static string Line(RunInstance run, bool leaseKept) =>
        RuntimeStatuses.IsFinal(run.RuntimeStatus)
            ? $"run {run.InstanceId} {run.RuntimeStatus.ToLowerInvariant()} during the shutdown"
            : leaseKept
                ? $"run {run.InstanceId} left resumable ({run.RuntimeStatus}): an activity did not stop within "
                  + $"{EmbeddedOrchestrationRunner.ActivityStopWait.TotalSeconds:0} s of being cancelled, so its lease is left to expire; "
                  + $"then a restarted server or 'pa resume {run.InstanceId}' continues it"
                : $"run {run.InstanceId} left resumable ({run.RuntimeStatus}): a restarted server or 'pa resume {run.InstanceId}' continues it";

    private static string Count(int count, string one, string? many = null) => $"{count} {(count == 1 ? one : many ?? one + "s")}";
}
