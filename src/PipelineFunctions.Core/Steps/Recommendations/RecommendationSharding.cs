namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>How step 4 was split: shards, and how deep the fan-in's candidate lists were.</summary>
/// <param name="CandidateDepth">Candidates each shard kept per visitor (after the business rules).</param>
/// <param name="VisitorsTruncated">Visitors with more candidates than that.</param>
/// <param name="TruncatedListsExhausted">
/// Visitors whose cut list ran out before their agenda was full. When 0, the agendas are exactly those the uncut lists
/// give: the assembler never reads past a prefix it did not exhaust.
/// </param>
/// <param name="DeepestCandidateRead">The most candidates the assembler looked at for one visitor.</param>
public sealed record RecommendationSharding(
    int Shards, int ShardSize, int CandidateDepth, int VisitorsTruncated, int TruncatedListsExhausted, int DeepestCandidateRead);
