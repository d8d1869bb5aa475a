using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphConnection;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphValues;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>The embedded graph's reads for steps 3 and 4 and its counts: one query each, ordered by key.</summary>
internal sealed class SqliteGraphReader(SqliteGraphConnection graph)
{
    public async Task<IReadOnlyList<VisitorNode>> ReadVisitorsAsync(VisitorKind kind, bool onlyWithoutRecommendation,
        CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT badge_id, properties, has_recommendation, control_group FROM visitors
            WHERE show = $show AND label = $label AND (NOT $onlyWithout OR has_recommendation = 0)
            ORDER BY badge_id
            """);
        read.Parameters.AddWithValue("$label", graph.VisitorLabel(kind));
        read.Parameters.AddWithValue("$onlyWithout", onlyWithoutRecommendation);
        var keys = new PropertyKeyCache();
        return await ReadAllAsync(read, r => new VisitorNode(r.GetString(0), ReadProperties(r.GetFieldValue<byte[]>(1), keys))
        {
            HasRecommendation = r.GetBoolean(2),
            ControlGroup = r.GetBoolean(3),
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<SessionNode>> ReadSessionsAsync(SessionYear year, CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command(
            "SELECT session_id, streams, properties FROM sessions WHERE show = $show AND label = $label ORDER BY session_id");
        read.Parameters.AddWithValue("$label", GraphLabels.Session(year));
        var keys = new PropertyKeyCache();
        return await ReadAllAsync(read,
            r => new SessionNode(r.GetString(0), ReadStreams(r.GetString(1)), ReadProperties(r.GetFieldValue<byte[]>(2), keys)), cancellationToken);
    }

    public async Task<IReadOnlyList<StreamNode>> ReadStreamsAsync(CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("SELECT stream, description FROM streams WHERE show = $show ORDER BY stream_key");
        return await ReadAllAsync(read, r => new StreamNode(r.GetString(0), r.GetString(1)), cancellationToken);
    }

    public async Task<IReadOnlyList<VisitorStreamLink>> ReadVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT v.badge_id, s.stream
            FROM visitor_streams r JOIN visitors v ON v.id = r.visitor JOIN streams s ON s.id = r.stream
            WHERE r.show = $show AND r.relation = $relation AND v.label = $label
            ORDER BY v.badge_id, s.stream_key
            """);
        read.Parameters.AddWithValue("$relation", GraphLabels.Relation(relation));
        read.Parameters.AddWithValue("$label", graph.VisitorLabel(kind));
        return await ReadAllAsync(read, r => new VisitorStreamLink(r.GetString(0), r.GetString(1)), cancellationToken);
    }

    public async Task<IReadOnlyList<SameVisitorLink>> ReadSameVisitorsAsync(CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT v.badge_id, p.label = $mainLabel, p.badge_id, r.type
            FROM same_visitor r JOIN visitors v ON v.id = r.visitor JOIN visitors p ON p.id = r.past_visitor
            WHERE r.show = $show AND v.label = $label AND p.label IN ($mainLabel, $secondaryLabel)
            ORDER BY v.badge_id, p.label = $mainLabel DESC, p.badge_id
            """);
        read.Parameters.AddWithValue("$label", GraphLabels.VisitorThisYear);
        read.Parameters.AddWithValue("$mainLabel", graph.VisitorLabel(VisitorKind.PastMain));
        read.Parameters.AddWithValue("$secondaryLabel", graph.VisitorLabel(VisitorKind.PastSecondary));
        return await ReadAllAsync(read,
            r => new SameVisitorLink(r.GetString(0), r.GetBoolean(1) ? VisitorKind.PastMain : VisitorKind.PastSecondary, r.GetString(2),
                r.GetString(3)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<AttendanceLink>> ReadAttendedSessionsAsync(VisitorKind pastKind, CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT v.badge_id, s.session_id, r.scan_date, r.file, r.seminar_name
            FROM attended_session r JOIN visitors v ON v.id = r.visitor JOIN sessions s ON s.id = r.session
            WHERE r.show = $show AND v.label = $label
            ORDER BY v.badge_id, s.session_id
            """);
        read.Parameters.AddWithValue("$label", graph.VisitorLabel(pastKind));
        return await ReadAllAsync(read, r => new AttendanceLink(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<EmbeddingStamp>> ReadEmbeddingStampsAsync(CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT s.label = $thisYear, s.session_id, e.text_hash, e.model
            FROM session_embeddings e JOIN sessions s ON s.id = e.session
            WHERE e.show = $show AND s.label IN ($thisYear, $past)
            ORDER BY s.label = $thisYear DESC, s.session_id
            """);
        read.Parameters.AddWithValue("$thisYear", GraphLabels.SessionsThisYear);
        read.Parameters.AddWithValue("$past", GraphLabels.SessionsPastYear);
        return await ReadAllAsync(read,
            r => new EmbeddingStamp(r.GetBoolean(0) ? SessionYear.ThisYear : SessionYear.Past, r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<SessionEmbedding>> ReadEmbeddingsAsync(SessionYear year, CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT s.session_id, e.text_hash, e.model, e.vector
            FROM session_embeddings e JOIN sessions s ON s.id = e.session
            WHERE e.show = $show AND s.label = $label
            ORDER BY s.session_id
            """);
        read.Parameters.AddWithValue("$label", GraphLabels.Session(year));
        return await ReadAllAsync(read,
            r => new SessionEmbedding(year, r.GetString(0), r.GetString(1), r.GetString(2), ReadVector(r.GetFieldValue<byte[]>(3))),
            cancellationToken);
    }

    public async Task<IReadOnlyList<RecommendationLink>> ReadRecommendationsAsync(CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        await using var read = graph.Command("""
            SELECT v.badge_id, s.session_id, r.similarity_score
            FROM is_recommended r JOIN visitors v ON v.id = r.visitor JOIN sessions s ON s.id = r.session
            WHERE r.show = $show
            ORDER BY v.badge_id, s.session_id
            """);
        return await ReadAllAsync(read, r => new RecommendationLink(r.GetString(0), r.GetString(1), r.GetDouble(2)), cancellationToken);
    }

    public async Task<GraphCounts> CountAsync(CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        // Every label and type of this identity is listed, with 0 when absent, so reports have a stable shape.
        var nodes = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [graph.VisitorLabel(VisitorKind.ThisYear)] = 0, [graph.VisitorLabel(VisitorKind.PastMain)] = 0,
            [graph.VisitorLabel(VisitorKind.PastSecondary)] = 0,
            [GraphLabels.SessionsThisYear] = 0, [GraphLabels.SessionsPastYear] = 0, [GraphLabels.Stream] = 0,
        };
        var relationships = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [GraphLabels.HasStream] = 0, [GraphLabels.JobToStream] = 0, [GraphLabels.SpecialisationToStream] = 0,
            [GraphLabels.SameVisitor] = 0, [GraphLabels.AttendedSession] = 0, [GraphLabels.IsRecommended] = 0,
        };
        await using var count = graph.Command("""
            SELECT 0, label, count(*) FROM visitors WHERE show = $show GROUP BY label
            UNION ALL SELECT 0, label, count(*) FROM sessions WHERE show = $show GROUP BY label
            UNION ALL SELECT 0, $stream, count(*) FROM streams WHERE show = $show
            UNION ALL SELECT 1, $hasStream, count(*) FROM has_stream WHERE show = $show
            UNION ALL SELECT 1, relation, count(*) FROM visitor_streams WHERE show = $show GROUP BY relation
            UNION ALL SELECT 1, $sameVisitor, count(*) FROM same_visitor WHERE show = $show
            UNION ALL SELECT 1, $attendedSession, count(*) FROM attended_session WHERE show = $show
            UNION ALL SELECT 1, $isRecommended, count(*) FROM is_recommended WHERE show = $show
            """);
        count.Parameters.AddWithValue("$stream", GraphLabels.Stream);
        count.Parameters.AddWithValue("$hasStream", GraphLabels.HasStream);
        count.Parameters.AddWithValue("$sameVisitor", GraphLabels.SameVisitor);
        count.Parameters.AddWithValue("$attendedSession", GraphLabels.AttendedSession);
        count.Parameters.AddWithValue("$isRecommended", GraphLabels.IsRecommended);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            (reader.GetInt64(0) == 0 ? nodes : relationships)[reader.GetString(1)] = reader.GetInt64(2);
        return new GraphCounts(nodes, relationships);
    }
}
