namespace PipelineFunctions.Core.Events;

public sealed class RecommendationSettings
{
    public required double MinSimilarityScore { get; init; }
    /// <summary>
    /// min_similarity_score for a generator whose cosines sit on another scale than the reference's all-MiniLM-L6-v2, for which
    /// min_similarity_score was set (the local embedder's nearest neighbours are near 0.26 where minilm's are near 0.64):
    /// generator -> threshold. A generator not listed takes min_similarity_score.
    /// </summary>
    public Dictionary<string, double> MinSimilarityScoreByGenerator { get; init; } = [];
    public required int MaxRecommendations { get; init; }
    public int SimilarVisitorsCount { get; init; } = 3;
    /// <summary>Returning visitors without history get scores raised to this power; 1 disables.</summary>
    public double SimilarityExponent { get; init; } = 1.5;
    /// <summary>Keep only the higher-scored session of a time clash (otherwise annotate only).</summary>
    public bool ResolveOverlappingSessions { get; init; } = true;
    /// <summary>Demographic attribute (column) -> weight for finding similar past visitors.</summary>
    public required Dictionary<string, double> SimilarityAttributes { get; init; }
    /// <summary>Visitor fields copied into the CSV export, in this order.</summary>
    public List<string> ExportVisitorFields { get; init; } = [];
    /// <summary>
    /// Whether the CSV export ends with a <c>reason</c> column (each session's reason; the JSON export always has it).
    /// Off by default, so the CSV keeps the reference's shape.
    /// </summary>
    public bool ExportReasons { get; init; }
    /// <summary>
    /// Most visitors one scoring activity of step 4 handles: visitors are split into shards of at most this many,
    /// scored in parallel, each activity's memory bounded by its shard (plus the show-wide scoring context).
    /// </summary>
    public int ShardSize { get; init; } = DefaultShardSize;
    public const int DefaultShardSize = 80_000;
    /// <summary>Seed for every random choice of step 4 (sampling, tie-breaks).</summary>
    public int RandomSeed { get; init; } = 42;
    public TheatreCapacitySettings TheatreCapacity { get; init; } = new();
    public ControlGroupSettings ControlGroup { get; init; } = new();
    /// <summary>The learned ranker: whether step 4 uses it, how it is trained, evaluated and promoted.</summary>
    public RankingSettings Ranking { get; init; } = new();
    /// <summary>Vet business rules; absent for shows without them.</summary>
    public BusinessRules? Rules { get; init; }

    /// <summary>The cosine threshold that applies with <paramref name="generator"/> (embeddings.generator).</summary>
    public double MinSimilarityScoreFor(string generator) =>
        MinSimilarityScoreByGenerator.TryGetValue(generator, out var configured) ? configured : MinSimilarityScore;
}
