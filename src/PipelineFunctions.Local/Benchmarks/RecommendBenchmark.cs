using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Local.Benchmarks;

/// <summary>
/// Step 4 (reference heuristic): steps 1 to 3 run first (not measured); then recommendations for every visitor (the
/// targeted run), again, and an incremental run that finds nobody new. Target: 20 s and 2 GB at 50,000 visitors.
/// </summary>
public static class RecommendBenchmark
{
    public const double TargetSeconds = 20;
    public const long TargetPeakBytes = 2048L << 20;

    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("recommend");
        var prepared = await workspace.PrepareAsync(config, dataFolder, cancellationToken);
        await workspace.GraphAsync(config, prepared.ManifestUri, GraphWriteMode.Full, cancellationToken);
        await workspace.EmbedAsync(config, cancellationToken);

        var step = new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System);
        RecommendationResult? first = null;
        Func<Task> Run(bool incremental) => async () =>
        {
            var result = await step.RunAsync(new RecommendationRequest(config, workspace.Store, workspace.Graphs, prepared.ManifestUri,
                BenchmarkWorkspace.RunId, BenchmarkWorkspace.Environment, incremental), cancellationToken);
            first ??= result;
        };
        var measured = new List<BenchmarkRun>
        {
            await BenchmarkTimer.MeasureAsync("1 (every visitor)", Run(incremental: false)),
            await BenchmarkTimer.MeasureAsync("2 (every visitor again)", Run(incremental: false)),
            await BenchmarkTimer.MeasureAsync("3 (incremental, nobody new)", Run(incremental: true)),
        };
        var facts = new Dictionary<string, long>(first!.Metadata.Counts);
        foreach (var (strategy, count) in first.Metadata.Strategies) facts["strategy " + strategy] = count;
        return new BenchmarkFigures("recommend", config.Event.Name, dataFolder, facts, measured, BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
    }
}
