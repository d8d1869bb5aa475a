namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>A visitor with some of their columns.</summary>
internal sealed record ContextVisitor(string BadgeId, IReadOnlyDictionary<string, string> Properties);
