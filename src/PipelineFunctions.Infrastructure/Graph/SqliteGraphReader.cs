using System.Collections.Concurrent;
using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphConnection;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphValues;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>The embedded graph's reads for steps 3 and 4 and its counts: one query each, ordered by key.</summary>
internal sealed class SqliteGraphReader(SqliteGraphConnection graph)
{
    /// <summary>
    /// A label's visitors are read in row order over the row-id range they occupy (a label's rows are written together), not
    /// through the key index: that seeks a wide row per visitor at random. Sorted in memory as ORDER BY badge_id would, and
    /// the properties decoded on every core (at 200,000 visitors they are 130 MB of JSON).
    /// </summary>
    /// <param name="columns">The properties to keep (the others are skipped as they are decoded); null for all.</param>
    public async Task<IReadOnlyList<VisitorNode>> ReadVisitorsAsync(VisitorKind kind, bool onlyWithoutRecommendation,
        IReadOnlySet<string>? columns, CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        var label = graph.VisitorLabel(kind);
        if (await RowRangeAsync(label, cancellationToken) is not var (first, last)) return [];
        await using var read = graph.Command("""
            SELECT v.badge_id, v.properties, coalesce(f.has_recommendation, 0), coalesce(f.control_group, 0)
            FROM visitors AS v NOT INDEXED LEFT JOIN visitor_flags f ON f.visitor = v.id
            WHERE v.id BETWEEN $first AND $last AND v.show = $show AND v.label = $label
                AND (NOT $onlyWithout OR coalesce(f.has_recommendation, 0) = 0)
            """);
        read.Parameters.AddWithValue("$label", label);
        read.Parameters.AddWithValue("$first", first);
        read.Parameters.AddWithValue("$last", last);
        read.Parameters.AddWithValue("$onlyWithout", onlyWithoutRecommendation);
        // Decoded a chunk at a time, so that the raw JSON of the whole label is never held besides the decoded visitors.
        var visitors = new List<VisitorNode>();
        var chunk = new List<(string BadgeId, byte[] Properties, bool Has, bool Control)>(DecodeChunk);
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                chunk.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetBoolean(2), reader.GetBoolean(3)));
                if (chunk.Count == DecodeChunk) Decode(chunk, visitors, columns, cancellationToken);
            }
        }
        Decode(chunk, visitors, columns, cancellationToken);
        visitors.Sort((x, y) => SqliteTextOrder.Instance.Compare(x.BadgeId, y.BadgeId));
        return visitors;
    }

    private const int DecodeChunk = 8192;

    /// <summary>Decodes <paramref name="chunk"/>'s properties on every core, appends the visitors in order, and empties it.</summary>
    private static void Decode(List<(string BadgeId, byte[] Properties, bool Has, bool Control)> chunk, List<VisitorNode> visitors,
        IReadOnlySet<string>? columns, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0) return;
        var decoded = new VisitorNode[chunk.Count];
        Parallel.ForEach(Partitioner.Create(0, chunk.Count, 1024), new ParallelOptions { CancellationToken = cancellationToken }, range =>
        {
            var keys = new PropertyKeyCache();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var row = chunk[i];
                decoded[i] = new VisitorNode(row.BadgeId, ReadProperties(row.Properties, keys, columns))
                {
                    HasRecommendation = row.Has,
                    ControlGroup = row.Control,
                };
            }
        });
        visitors.AddRange(decoded);
        chunk.Clear();
    }

    /// <summary>The first and last row id of a label's visitors (from the key index alone), or null when it has none.</summary>
    private async Task<(long First, long Last)?> RowRangeAsync(string label, CancellationToken cancellationToken)
    {
        await using var range = graph.Command("SELECT min(id), max(id) FROM visitors WHERE show = $show AND label = $label");
        range.Parameters.AddWithValue("$label", label);
        await using var reader = await range.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>A label's visitors' badge ids by row id, from the key index alone, with the row-id range they occupy.</summary>
    private async Task<(Dictionary<long, string> Badges, long First, long Last)> BadgesAsync(string label, CancellationToken cancellationToken)
    {
        await using var read = graph.Command("SELECT id, badge_id FROM visitors WHERE show = $show AND label = $label");
        read.Parameters.AddWithValue("$label", label);
        var badges = new Dictionary<long, string>();
        long first = long.MaxValue, last = long.MinValue;
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            badges[id] = reader.GetString(1);
            (first, last) = (Math.Min(first, id), Math.Max(last, id));
        }
        return (badges, first, last);
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
        read.Parameters.AddWithValue("$relation", SqliteGraphSchema.RelationCode(relation));
        read.Parameters.AddWithValue("$label", graph.VisitorLabel(kind));
        return await ReadAllAsync(read, r => new VisitorStreamLink(r.GetString(0), r.GetString(1)), cancellationToken);
    }

    /// <summary>The links are read in key order over this year's row-id range and their ends looked up in memory, not joined
    /// (a join seeks a wide visitor row per link); then sorted as ORDER BY would.</summary>
    public async Task<IReadOnlyList<SameVisitorLink>> ReadSameVisitorsAsync(CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        var (visitors, first, last) = await BadgesAsync(GraphLabels.VisitorThisYear, cancellationToken);
        if (visitors.Count == 0) return [];
        var (main, _, _) = await BadgesAsync(graph.VisitorLabel(VisitorKind.PastMain), cancellationToken);
        var (secondary, _, _) = await BadgesAsync(graph.VisitorLabel(VisitorKind.PastSecondary), cancellationToken);
        await using var read = graph.Command(
            "SELECT visitor, past_visitor, type FROM same_visitor WHERE visitor BETWEEN $first AND $last AND show = $show");
        read.Parameters.AddWithValue("$first", first);
        read.Parameters.AddWithValue("$last", last);
        var links = new List<SameVisitorLink>();
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!visitors.TryGetValue(reader.GetInt64(0), out var badge)) continue;
                var past = reader.GetInt64(1);
                if (main.TryGetValue(past, out var pastBadge))
                    links.Add(new SameVisitorLink(badge, VisitorKind.PastMain, pastBadge, reader.GetString(2)));
                else if (secondary.TryGetValue(past, out pastBadge))
                    links.Add(new SameVisitorLink(badge, VisitorKind.PastSecondary, pastBadge, reader.GetString(2)));
            }
        links.Sort((x, y) =>
        {
            var order = SqliteTextOrder.Instance.Compare(x.BadgeId, y.BadgeId);
            if (order != 0) return order;
            if (x.PastKind != y.PastKind) return x.PastKind == VisitorKind.PastMain ? -1 : 1;
            return SqliteTextOrder.Instance.Compare(x.PastBadgeId, y.PastBadgeId);
        });
        return links;
    }

    /// <summary>As <see cref="ReadSameVisitorsAsync"/>: the label's links in key order, their ends looked up in memory.</summary>
    public async Task<IReadOnlyList<AttendanceLink>> ReadAttendedSessionsAsync(VisitorKind pastKind, CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        var (visitors, first, last) = await BadgesAsync(graph.VisitorLabel(pastKind), cancellationToken);
        if (visitors.Count == 0) return [];
        var sessions = new Dictionary<long, string>();
        await using (var readSessions = graph.Command("SELECT id, session_id FROM sessions WHERE show = $show"))
        await using (var reader = await readSessions.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) sessions[reader.GetInt64(0)] = reader.GetString(1);
        await using var read = graph.Command("""
            SELECT visitor, session, scan_date, file, seminar_name FROM attended_session
            WHERE visitor BETWEEN $first AND $last AND show = $show
            """);
        read.Parameters.AddWithValue("$first", first);
        read.Parameters.AddWithValue("$last", last);
        var links = new List<AttendanceLink>();
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                if (visitors.TryGetValue(reader.GetInt64(0), out var badge) && sessions.TryGetValue(reader.GetInt64(1), out var session))
                    links.Add(new AttendanceLink(badge, session, reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        links.Sort((x, y) =>
        {
            var order = SqliteTextOrder.Instance.Compare(x.BadgeId, y.BadgeId);
            return order != 0 ? order : SqliteTextOrder.Instance.Compare(x.SessionId, y.SessionId);
        });
        return links;
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
            UNION ALL SELECT 1, CASE relation WHEN $jobCode THEN $job ELSE $specialisation END, count(*)
                FROM visitor_streams WHERE show = $show GROUP BY relation
            UNION ALL SELECT 1, $sameVisitor, count(*) FROM same_visitor WHERE show = $show
            UNION ALL SELECT 1, $attendedSession, count(*) FROM attended_session WHERE show = $show
            UNION ALL SELECT 1, $isRecommended, count(*) FROM is_recommended WHERE show = $show
            """);
        count.Parameters.AddWithValue("$stream", GraphLabels.Stream);
        count.Parameters.AddWithValue("$jobCode", SqliteGraphSchema.RelationCode(VisitorStreamRelation.JobToStream));
        count.Parameters.AddWithValue("$job", GraphLabels.JobToStream);
        count.Parameters.AddWithValue("$specialisation", GraphLabels.SpecialisationToStream);
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
