using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Orchestration;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// The whole pipeline as `pa run` runs it, through the embedded runner and its run store, on embedded defaults:
/// run 1 does all four steps (the targeted run); run 2 is the same request again, where every step is reused.
/// The orchestration's own cost per activity is the run's time outside activities over the activities called.
/// Target: 60 s and 2 GB at 50,000 visitors; under 5 ms of overhead per activity.
/// </summary>
public static class RunBenchmark
{
    public const double TargetSeconds = 60;
    public const long TargetPeakBytes = 2048L << 20;

    /// <summary>Runs the show in <paramref name="dataFolder"/> with the events under <paramref name="configRoot"/>.</summary>
    public static async Task<BenchmarkFigures> MeasureAsync(
        EventConfig config, string dataFolder, string configRoot, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("run");
        await using var host = new LocalHost(workspace.Store, workspace.Graphs, Path.Combine(workspace.Folder, "runs.sqlite"), configRoot,
            LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance, TimeProvider.System);
        var stats = new List<RunExecutionStats>();
        host.Runner.Executed += stats.Add;
        var summaries = new List<RunSummary>();
        Func<Task> Run(string id) => async () =>
        {
            await host.Runner.CreateAsync(new PipelineRunRequest(config.Event.Name, dataFolder), id, cancellationToken);
            var instance = await host.Runner.RunAsync(id, cancellationToken);
            summaries.Add(await host.SummaryAsync(instance, cancellationToken) is { Status: StepStatuses.Succeeded } summary
                ? summary : throw new InvalidOperationException($"benchmark run {id} {instance.RuntimeStatus}: {instance.OutputJson}"));
        };
        var runs = new List<BenchmarkRun>
        {
            await BenchmarkTimer.MeasureAsync("1 (all four steps)", Run("bench-1")),
            await BenchmarkTimer.MeasureAsync("2 (same request: every step reused)", Run("bench-2")),
        };

        var facts = new Dictionary<string, long>();
        foreach (var step in summaries[0].Steps) facts[$"ms {step.Step}"] = (long)(step.FinishedAt - step.StartedAt).TotalMilliseconds;
        var recommendations = summaries[0].Steps.Single(s => s.Step == PipelineSteps.Recommendations);
        foreach (var (metric, value) in recommendations.Metrics.Where(m => m.Key.StartsWith("visitors_", StringComparison.Ordinal)))
            facts[metric] = value;
        for (var i = 0; i < stats.Count; i++)
        {
            var overhead = (stats[i].Total - stats[i].ActivityTime).TotalMilliseconds / Math.Max(1, stats[i].ActivitiesRun);
            facts[$"us orchestration overhead per activity (run {i + 1}, {stats[i].ActivitiesRun} activities)"] = (long)(overhead * 1000);
        }
        return new BenchmarkFigures("run", config.Event.Name, dataFolder, facts, runs, BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
    }
}
