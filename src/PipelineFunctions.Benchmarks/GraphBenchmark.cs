using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// Step 2 on the embedded graph: step 1 runs first (not measured), then step 2 into an empty graph (the targeted,
/// cold run), again in full mode, and once incrementally. Target: 20 s at 50,000 visitors.
/// </summary>
public static class GraphBenchmark
{
    public const double TargetSeconds = 20;
    public const long TargetPeakBytes = 1536L << 20;

    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("graph");
        var prepared = await workspace.PrepareAsync(config, dataFolder, cancellationToken);

        GraphPreparationResult? last = null;
        Func<Task> Run(GraphWriteMode mode) => async () => last = await workspace.GraphAsync(config, prepared.ManifestUri, mode, cancellationToken);
        var measured = new List<BenchmarkRun>
        {
            await BenchmarkTimer.MeasureAsync("1 (empty graph, full)", Run(GraphWriteMode.Full)),
            await BenchmarkTimer.MeasureAsync("2 (full again)", Run(GraphWriteMode.Full)),
            await BenchmarkTimer.MeasureAsync("3 (incremental)", Run(GraphWriteMode.Incremental)),
        };

        var facts = new Dictionary<string, long>();
        foreach (var (label, count) in last!.Metadata.Graph.Nodes) facts[label] = count;
        foreach (var (type, count) in last.Metadata.Graph.Relationships) facts[type] = count;
        return new BenchmarkFigures("graph", config.Event.Name, dataFolder, facts, measured, BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
    }
}
