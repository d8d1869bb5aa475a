using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// Step 4: steps 1 to 3 run first (not measured). Step 4 runs once with the reference heuristic (no model yet);
/// then a ranker is trained and promoted (not measured) and step 4 runs with it for every visitor (the targeted
/// run), again, and incrementally (nobody new). Beside them, a naive scorer (per visitor, a loop over every session
/// and source) runs on a sample of visitors; its time is extrapolated to the whole show and compared with step 4's
/// scoring. Target: 20 s and 2 GB at 50,000 visitors.
/// </summary>
public static class RecommendBenchmark
{
    public const double TargetSeconds = 20;
    public const long TargetPeakBytes = 2048L << 20;
    public const int NaiveSample = 500;

    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("recommend");
        var prepared = await workspace.PrepareAsync(config, dataFolder, cancellationToken);
        await workspace.GraphAsync(config, prepared.ManifestUri, GraphWriteMode.Full, cancellationToken);
        await workspace.EmbedAsync(config, cancellationToken);

        var step = new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System);
        var results = new List<RecommendationResult>();
        Func<Task> Run(bool incremental) => async () => results.Add(await step.RunAsync(new RecommendationRequest(config, workspace.Store,
            workspace.Graphs, prepared.ManifestUri, BenchmarkWorkspace.RunId, BenchmarkWorkspace.Environment, incremental), cancellationToken));

        var heuristic = await BenchmarkTimer.MeasureAsync("heuristic (every visitor, no model yet)", Run(incremental: false));
        var heuristicResult = results[^1];

        var (data, registry) = await TrainBenchmark.TrainingDataAsync(workspace, config, dataFolder, cancellationToken);
        var trained = await new RankingModelTrainer(TimeProvider.System).TrainAsync(config, data, registry, cancellationToken);
        // Measured whatever the promotion decided: the benchmark is about the learned ranker's speed.
        if (!trained.Decision.Promoted) await registry.PromoteAsync(trained.Candidate.Version, DateTimeOffset.UtcNow, cancellationToken);
        // Training's memory is not step 4's: hand it back before the measured runs, whose peak is the figure.
        data = null!;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var learned = new List<BenchmarkRun>
        {
            await BenchmarkTimer.MeasureAsync("1 learned ranker (every visitor)", Run(incremental: false)),
            await BenchmarkTimer.MeasureAsync("2 learned ranker (every visitor again)", Run(incremental: false)),
            await BenchmarkTimer.MeasureAsync("3 learned ranker (incremental, nobody new)", Run(incremental: true)),
        };
        var learnedResult = results[^3];

        var (naiveSeconds, sampled, visitors) = await NaiveAsync(config, workspace, cancellationToken);
        var facts = new Dictionary<string, long>(learnedResult.Metadata.Counts);
        foreach (var (strategy, count) in learnedResult.Metadata.Strategies) facts["strategy " + strategy] = count;
        var learnedScoring = learnedResult.Metadata.PhaseDurationsMs["score"];
        var heuristicScoring = heuristicResult.Metadata.PhaseDurationsMs["score"];
        var naiveMs = (long)(naiveSeconds / sampled * visitors * 1000);
        foreach (var (phase, ms) in learnedResult.Metadata.PhaseDurationsMs) facts[$"ms {phase} (learned run 1)"] = ms;
        facts["ms scoring, heuristic"] = heuristicScoring;
        facts[$"ms scoring, naive loop (extrapolated from {sampled} visitors)"] = naiveMs;
        facts["naive / heuristic scoring, x"] = naiveMs / Math.Max(1, heuristicScoring);
        facts["naive / learned scoring, x"] = naiveMs / Math.Max(1, learnedScoring);
        return new BenchmarkFigures("recommend", config.Event.Name, dataFolder, facts, [.. learned, heuristic], BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
    }

    /// <summary>The naive scorer on an evenly spread sample of visitors: seconds, visitors sampled, visitors in the show.</summary>
    private static async Task<(double Seconds, int Sampled, int Visitors)> NaiveAsync(
        EventConfig config, BenchmarkWorkspace workspace, CancellationToken cancellationToken)
    {
        var identity = new GraphIdentity(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName,
            BenchmarkWorkspace.Environment);
        await using var graph = await workspace.Graphs.OpenAsync(identity, cancellationToken);
        var data = await RecommendationStep.ReadAsync(graph, incremental: false, cancellationToken);
        var naive = new NaiveScorer(config, data);
        var step = Math.Max(1, data.Visitors.Count / NaiveSample);
        var sample = data.Visitors.Where((_, i) => i % step == 0).Take(NaiveSample).ToList();
        var watch = Stopwatch.StartNew();
        foreach (var visitor in sample) naive.Score(visitor);
        return (watch.Elapsed.TotalSeconds, sample.Count, data.Visitors.Count);
    }
}
