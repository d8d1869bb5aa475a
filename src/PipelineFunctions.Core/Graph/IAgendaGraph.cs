namespace PipelineFunctions.Core.Graph;

/// <summary>
/// The agenda graph of one event (show) in one environment: the shared state of steps 2 to 4.
/// A domain port, not a query API: every method is one bulk operation (no per-visitor round trips), and every
/// write is idempotent (keyed MERGE semantics), so a retried activity never duplicates anything.
/// Adapters (not referenced from here): embedded SQLite (the default, in Infrastructure) and Neo4j (PipelineFunctions.Neo4j,
/// running Infrastructure's Cypher catalogue <c>Neo4jCypher</c>).
/// </summary>
public interface IAgendaGraph : IAsyncDisposable
{
    /// <summary>The show (event name) every node of this graph carries.</summary>
    string Show { get; }

    /// <summary>Creates the uniqueness constraints (one key per label and show) if missing. Safe to call every run.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    Task<GraphWriteStats> UpsertVisitorsAsync(VisitorKind kind, IReadOnlyList<VisitorNode> visitors, GraphWriteMode mode,
        CancellationToken cancellationToken = default);

    /// <summary>Upserts sessions and their HAS_STREAM links. Full mode for this year's sessions first removes this year's
    /// sessions with their links, embeddings and recommendations (counted as Deleted).</summary>
    Task<GraphWriteStats> UpsertSessionsAsync(SessionYear year, IReadOnlyList<SessionNode> sessions, GraphWriteMode mode,
        CancellationToken cancellationToken = default);

    Task<GraphWriteStats> UpsertStreamsAsync(IReadOnlyList<StreamNode> streams, GraphWriteMode mode, CancellationToken cancellationToken = default);

    /// <summary>Links visitors to streams; a link to a visitor or stream that does not exist is skipped.</summary>
    Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation, IReadOnlyList<VisitorStreamLink> links,
        GraphWriteMode mode, CancellationToken cancellationToken = default);

    Task<GraphWriteStats> LinkSameVisitorsAsync(IReadOnlyList<SameVisitorLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default);

    Task<GraphWriteStats> LinkAttendedSessionsAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default);

    // Reads for steps 3 and 4, one round trip each.

    Task<IReadOnlyList<VisitorNode>> ReadVisitorsAsync(VisitorKind kind, bool onlyWithoutRecommendation = false,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ReadVisitorsAsync"/>, with only <paramref name="columns"/> among each visitor's properties: step 4 reads
    /// a few columns of hundreds of thousands of visitors. A graph that can leave the other values undecoded overrides this.
    /// </summary>
    async Task<IReadOnlyList<VisitorNode>> ReadVisitorColumnsAsync(VisitorKind kind, IReadOnlySet<string> columns,
        bool onlyWithoutRecommendation = false, CancellationToken cancellationToken = default)
    {
        var visitors = await ReadVisitorsAsync(kind, onlyWithoutRecommendation, cancellationToken);
        return [.. visitors.Select(v => v with
        {
            Properties = v.Properties.Where(p => columns.Contains(p.Key)).ToDictionary(StringComparer.Ordinal),
        })];
    }

    Task<IReadOnlyList<SessionNode>> ReadSessionsAsync(SessionYear year, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StreamNode>> ReadStreamsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VisitorStreamLink>> ReadVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SameVisitorLink>> ReadSameVisitorsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AttendanceLink>> ReadAttendedSessionsAsync(VisitorKind pastKind, CancellationToken cancellationToken = default);

    // Embeddings (step 3): stored with the session, with the hash of the text they were computed from.

    Task<IReadOnlyList<EmbeddingStamp>> ReadEmbeddingStampsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores embeddings as float32 vectors; a session that no longer exists is skipped.</summary>
    Task<GraphWriteStats> StoreEmbeddingsAsync(IReadOnlyList<SessionEmbedding> embeddings, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SessionEmbedding>> ReadEmbeddingsAsync(SessionYear year, CancellationToken cancellationToken = default);

    // Recommendations (step 4).

    /// <summary>Replaces the IS_RECOMMENDED links of the given visitors, sets has_recommendation on them, and the
    /// control-group flag.</summary>
    Task<GraphWriteStats> StoreRecommendationsAsync(IReadOnlyList<string> badgeIds, IReadOnlyList<RecommendationLink> links,
        IReadOnlyCollection<string> controlGroup, DateTimeOffset generatedAt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RecommendationLink>> ReadRecommendationsAsync(CancellationToken cancellationToken = default);

    Task<GraphCounts> CountAsync(CancellationToken cancellationToken = default);
}
