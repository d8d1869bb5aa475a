namespace PipelineFunctions.Core.Reporting;

/// <summary>One registered ranker version's holdout scores and what became of it.</summary>
/// <param name="HeuristicNdcgAt10">The reference heuristic on the same holdout (from the promotion decision); null without one.</param>
/// <param name="Promoted">The retraining's decision; null when none was recorded (trained by hand).</param>
/// <param name="Current">The version step 4 uses now.</param>
/// <param name="UsedByRun">The version that ranked this run's recommendations.</param>
public sealed record ModelEvaluation(
    string Version, DateTimeOffset CreatedAt, double NdcgAt10, double RecallAt10, double Coverage, double? HeuristicNdcgAt10, bool? Promoted,
    bool Current, bool UsedByRun);
