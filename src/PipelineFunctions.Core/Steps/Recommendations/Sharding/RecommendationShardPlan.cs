namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>What step 4's plan settled: how many shards to score, and the scoring context's SHA-256 they all read.</summary>
internal sealed record RecommendationShardPlan(int Shards, int Visitors, string ContextSha256);
