namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A retraining's outcome, kept with the candidate: promoted or not, and both scores on the same holdout.</summary>
/// <param name="CurrentNdcgAt10">The current model's score on the candidate's holdout; null when there was no usable one.</param>
/// <param name="HeuristicNdcgAt10">The reference heuristic's score on the same holdout.</param>
public sealed record PromotionDecision(
    string Candidate, string? Current, double CandidateNdcgAt10, double? CurrentNdcgAt10, double HeuristicNdcgAt10, double Margin,
    bool Promoted, string Reason, DateTimeOffset DecidedAt)
{
    // Model monitoring: every retraining's decision is kept (never overwritten), so the decisions are the score history.

    /// <summary>The candidate's holdout metrics (NDCG@10, recall@10, coverage); null in decisions recorded before monitoring.</summary>
    public RankingMetrics? CandidateHoldout { get; init; }

    /// <summary>The current model's metrics on the same (the newest) holdout; null when there was no usable current model.</summary>
    public RankingMetrics? CurrentHoldout { get; init; }

    /// <summary>The reference heuristic's metrics on the same holdout.</summary>
    public RankingMetrics? HeuristicHoldout { get; init; }

    /// <summary>The data the models were scored on: its hash (the candidate's training data) and the holdout's visitors.</summary>
    public string? DataHash { get; init; }

    public int? HoldoutVisitors { get; init; }

    /// <summary>The current model's holdout NDCG@10 when it was registered (on its own holdout).</summary>
    public double? CurrentRegisteredNdcgAt10 { get; init; }

    /// <summary>recommendation.ranking.degradation_margin at the time of the decision.</summary>
    public double? DegradationMargin { get; init; }

    /// <summary>
    /// Set when the current model, on the newest holdout, fell more than the degradation margin below its score at
    /// registration: what the run warns with. Null when it did not, or there was no current model to check.
    /// </summary>
    public string? Degradation { get; init; }
}
