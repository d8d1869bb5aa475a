namespace PipelineFunctions.Core.Steps.Recommendations;

/// <param name="Ranker">learned_ranker:&lt;model version&gt; or reference_heuristic.</param>
/// <param name="RankerNote">Why the heuristic was used although learned models are enabled; null otherwise.</param>
/// <param name="Strategies">Visitors processed per generation strategy.</param>
/// <param name="StrategiesWithoutRecommendations">Of those, the visitors who got no agenda, per strategy (absent when
/// none); null in metadata written before it was kept.</param>
public sealed record RecommendationMetadata(
    string Step, string Event, string RunId, string Environment, bool Incremental, string Ranker, string? RankerNote,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long DurationMs,
    IReadOnlyDictionary<string, long> Counts, IReadOnlyDictionary<string, long> Strategies, AssemblyStatistics Assembly,
    IReadOnlyDictionary<string, long> PhaseDurationsMs, RecommendationSharding Sharding,
    IReadOnlyDictionary<string, long>? StrategiesWithoutRecommendations = null);
