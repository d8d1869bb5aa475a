using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// Everything show-wide that scoring a shard of visitors needs, read once by step 4's plan and written as one artifact
/// that every shard reads: this year's recommendable sessions and their embeddings, past embeddings, past visitors who
/// attended something (only the columns the similarity search reads) and what they attended, and for the learned
/// ranker its model and past sessions; step 1's stream matrices and past titles (the learned ranker and the reasons read
/// them). Its SHA-256 is part of every shard's reuse key, so it holds nothing that changes from run to run without
/// changing the scores (no run id, no time).
/// </summary>
/// <param name="ConfigSha256">The resolved config's hash: a shard scored under another config is never reused.</param>
/// <param name="CandidateDepth">Candidates kept per visitor after the business rules (the fan-in holds every visitor's).</param>
/// <param name="Model">The learned ranker's model artifact when it ranks; null for the reference heuristic.</param>
/// <param name="RankerNote">Why the heuristic ranks although learned models are enabled; null otherwise.</param>
/// <param name="PastSessionTitles">Titles of the past sessions with embeddings, by id: the reasons name them.</param>
internal sealed record ScoringContext(
    string ConfigSha256,
    string CodeVersion,
    int CandidateDepth,
    ManifestInput? Model,
    string? RankerVersion,
    string? RankerNote,
    ManifestOutput Theatres,
    ManifestOutput? JobRoleStreams,
    ManifestOutput? SpecialisationStreams,
    IReadOnlyDictionary<string, int> TheatreCapacity,
    IReadOnlyList<RecommendableSession> Sessions,
    IReadOnlyList<ContextEmbedding> ThisYearEmbeddings,
    IReadOnlyList<ContextEmbedding> PastEmbeddings,
    IReadOnlyList<ContextPastSession> PastSessions,
    IReadOnlyList<PastVisitorGroup> PastVisitors,
    IReadOnlyDictionary<string, string> PastSessionTitles);
