using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>One of this year's visitors in a shard: the step-1 columns scoring reads (<see cref="RecommendationShards.ShardColumns"/>), and who
/// they were at past shows (Same_Visitor links).</summary>
internal sealed record ShardVisitor(string BadgeId, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<SameVisitorLink> PastSelves);
