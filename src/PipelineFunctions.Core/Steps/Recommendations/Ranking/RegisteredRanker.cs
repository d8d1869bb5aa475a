namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A registered model loaded for scoring.</summary>
public sealed record RegisteredRanker(RankingModelInfo Info, LearnedRanker Model, long ModelBytes);
