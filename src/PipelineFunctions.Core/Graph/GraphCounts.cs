namespace PipelineFunctions.Core.Graph;

/// <summary>Nodes per label and relationships per type, for one show.</summary>
public sealed record GraphCounts(IReadOnlyDictionary<string, long> Nodes, IReadOnlyDictionary<string, long> Relationships);
