namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>The model step 4 uses for an event.</summary>
public sealed record RankingModelPointer(string Version, DateTimeOffset PromotedAt);
