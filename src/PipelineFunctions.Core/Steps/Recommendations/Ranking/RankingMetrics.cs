namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>Offline quality of one ranking method over the held-out visitors.</summary>
public sealed record RankingMetrics(double RecallAt10, double NdcgAt10, double Coverage);
