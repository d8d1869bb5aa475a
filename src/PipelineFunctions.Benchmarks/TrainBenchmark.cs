using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// Retraining the ranker: step 1 with every past visitor kept and the session embeddings are made first (not
/// measured); then the retraining that `pa train` runs (features, training, holdout evaluation of every method,
/// registry), timed. Target: 60 s at 50,000 visitors.
/// </summary>
public static class TrainBenchmark
{
    public const double TargetSeconds = 60;
    public const long TargetPeakBytes = 2048L << 20;

    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("train");
        var (data, registry) = await TrainingDataAsync(workspace, config, dataFolder, cancellationToken);
        RankingModelTrainer.Outcome? outcome = null;
        var run = await BenchmarkTimer.MeasureAsync("1 (train, evaluate, register)", async () =>
            outcome = await new RankingModelTrainer(TimeProvider.System).TrainAsync(config, data, registry, cancellationToken));

        var report = outcome!.Evaluation;
        var facts = new Dictionary<string, long>
        {
            ["training visitors"] = report.TrainingVisitors,
            ["training examples"] = report.TrainingExamples,
            ["held-out visitors"] = report.HoldoutVisitors,
            ["sessions ranked"] = report.CandidateSessions,
        };
        foreach (var (method, metrics) in report.Methods) facts[$"NDCG@10 x 10,000 {method}"] = (long)Math.Round(metrics.NdcgAt10 * 10_000);
        return new BenchmarkFigures("train", config.Event.Name, dataFolder, facts, [run], BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
    }

    /// <summary>What `pa train` learns from, built in the workspace: step 1 keeping every past visitor, embedded sessions.</summary>
    internal static async Task<(RankingDataset Data, RankingModelRegistry Registry)> TrainingDataAsync(
        BenchmarkWorkspace workspace, EventConfig config, string dataFolder, CancellationToken cancellationToken)
    {
        var prepared = await workspace.PrepareAsync(config.WithAllPastVisitors(), dataFolder, cancellationToken, runId: "bench-training");
        var embedders = new SessionEmbedderProvider(workspace.Store, null);
        var data = await RankingDataset.FromPreparationAsync(config, workspace.Store, prepared.Manifest, embedders, cancellationToken);
        return (data, new RankingModelRegistry(workspace.Store, config.Event.Name));
    }
}
