using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>One of this year's visitors in a shard: every step-1 column, and who they were at past shows (Same_Visitor links).</summary>
internal sealed record ShardVisitor(string BadgeId, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<SameVisitorLink> PastSelves);
