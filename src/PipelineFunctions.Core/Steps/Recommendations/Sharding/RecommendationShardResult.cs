namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>One scored shard: how many visitors, and whether an earlier run's identical shard was reused.</summary>
internal sealed record RecommendationShardResult(int Visitors, bool Reused);
