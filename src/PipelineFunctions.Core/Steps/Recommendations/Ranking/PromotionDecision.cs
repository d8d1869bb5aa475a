namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A retraining's outcome, kept with the candidate: promoted or not, and both scores on the same holdout.</summary>
/// <param name="CurrentNdcgAt10">The current model's score on the candidate's holdout; null when there was no usable one.</param>
/// <param name="HeuristicNdcgAt10">The reference heuristic's score on the same holdout.</param>
public sealed record PromotionDecision(
    string Candidate, string? Current, double CandidateNdcgAt10, double? CurrentNdcgAt10, double HeuristicNdcgAt10, double Margin,
    bool Promoted, string Reason, DateTimeOffset DecidedAt);
