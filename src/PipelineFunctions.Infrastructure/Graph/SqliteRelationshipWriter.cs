using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Core.Graph.GraphNormalisation;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Links between existing nodes (job_to_stream / specialization_to_stream, Same_Visitor, attended_session), each write one
/// transaction. A link whose visitor, past visitor, session or stream does not exist is skipped.
/// </summary>
internal sealed class SqliteRelationshipWriter(SqliteGraphConnection graph)
{
    /// <summary>Amortises each statement's start-up while staying far below SQLite's limit of parameters.</summary>
    private const int LinksPerStatement = 128;

    /// <summary>
    /// A million links at a large show: the label's visitors and the streams are looked up once, in memory, and the links
    /// inserted <see cref="LinksPerStatement"/> at a time through native statements (see <see cref="SqliteNativeStatement"/>).
    /// The relationship has no properties: both modes create what is missing and keep what exists.
    /// </summary>
    public async Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        IReadOnlyList<VisitorStreamLink> links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        cancellationToken.ThrowIfCancellationRequested();
        using var _ = graph.Exclusive();
        await using var transaction = graph.BeginWrite();
        await using var findVisitors = graph.Command("SELECT badge_id, id FROM visitors WHERE show = $show AND label = $label", transaction);
        findVisitors.Parameters.AddWithValue("$label", graph.VisitorLabel(kind));
        var visitors = await IdsAsync(findVisitors, cancellationToken);
        await using var findStreams = graph.Command("SELECT stream_key, id FROM streams WHERE show = $show", transaction);
        var streams = await IdsAsync(findStreams, cancellationToken);

        long created = 0;
        var pending = new List<(long Visitor, long Stream)>(LinksPerStatement);
        using (var insert = PrepareLinkInsert(relation, LinksPerStatement))
        {
            for (var i = 0; i < links.Count; i++)
            {
                if (i % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
                // A link whose visitor or stream does not exist is skipped, as one already stored is.
                if (!visitors.TryGetValue(links[i].BadgeId ?? "", out var visitor)
                    || !streams.TryGetValue(StreamKey(links[i].Stream ?? ""), out var stream)) continue;
                pending.Add((visitor, stream));
                if (pending.Count == LinksPerStatement) created += InsertLinks(insert, pending);
            }
        }
        if (pending.Count > 0)
            using (var last = PrepareLinkInsert(relation, pending.Count))
                created += InsertLinks(last, pending);
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, 0, links.Count - created);
    }

    private SqliteNativeStatement PrepareLinkInsert(VisitorStreamRelation relation, int rows)
    {
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(?1, ?2, ?{3 + 2 * i}, ?{4 + 2 * i})"));
        return SqliteNativeStatement.Prepare(graph.Connection,
                $"INSERT INTO visitor_streams (show, relation, visitor, stream) VALUES {values} ON CONFLICT DO NOTHING")
            .Bind(1, graph.Show).Bind(2, GraphLabels.Relation(relation));
    }

    /// <summary>Inserts the pending links (one statement); returns how many were new, and empties the list.</summary>
    private static int InsertLinks(SqliteNativeStatement insert, List<(long Visitor, long Stream)> pending)
    {
        for (var i = 0; i < pending.Count; i++) insert.Bind(3 + 2 * i, pending[i].Visitor).Bind(4 + 2 * i, pending[i].Stream);
        pending.Clear();
        return insert.Execute();
    }

    private static async Task<Dictionary<string, long>> IdsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids[reader.GetString(0)] = reader.GetInt64(1);
        return ids;
    }

    public async Task<GraphWriteStats> LinkSameVisitorsAsync(IReadOnlyList<SameVisitorLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        for (var i = 0; i < links.Count; i++)
            if (links[i].PastKind == VisitorKind.ThisYear)
                throw new ArgumentException(
                    $"links[{i}]: a Same_Visitor link goes to a past visitor (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(links));
        using var _ = graph.Exclusive();
        await using var transaction = graph.BeginWrite();

        await using var find = graph.Command("""
            SELECT v.id, p.id, r.visitor IS NOT NULL, r.type
            FROM visitors v
            JOIN visitors p ON p.show = $show AND p.label = $pastLabel AND p.badge_id = $pastBadgeId
            LEFT JOIN same_visitor r ON r.visitor = v.id AND r.past_visitor = p.id
            WHERE v.show = $show AND v.label = $label AND v.badge_id = $badgeId
            """, transaction);
        find.Parameters.AddWithValue("$label", GraphLabels.VisitorThisYear);
        var findPastLabel = find.Parameters.Add("$pastLabel", SqliteType.Text);
        var findPastBadgeId = find.Parameters.Add("$pastBadgeId", SqliteType.Text);
        var findBadgeId = find.Parameters.Add("$badgeId", SqliteType.Text);
        await using var upsert = graph.Command("""
            INSERT INTO same_visitor (show, visitor, past_visitor, type) VALUES ($show, $visitor, $pastVisitor, $type)
            ON CONFLICT (visitor, past_visitor) DO UPDATE SET type = excluded.type
            """, transaction);
        var upsertVisitor = upsert.Parameters.Add("$visitor", SqliteType.Integer);
        var upsertPastVisitor = upsert.Parameters.Add("$pastVisitor", SqliteType.Integer);
        var upsertType = upsert.Parameters.Add("$type", SqliteType.Text);
        SqliteGraphConnection.PrepareAll(find, upsert);

        var stats = await SqliteUpsert.ForEachWithEndpointsAsync(links, find,
            link =>
            {
                findPastLabel.Value = graph.VisitorLabel(link.PastKind);
                findPastBadgeId.Value = link.PastBadgeId ?? "";
                findBadgeId.Value = link.BadgeId ?? "";
            },
            (reader, link) => ((Visitor: reader.GetInt64(0), PastVisitor: reader.GetInt64(1)), Exists: reader.GetBoolean(2),
                Same: reader.GetBoolean(2) && reader.GetString(3) == (link.Type ?? "")),
            mode,
            async (link, endpoints) =>
            {
                upsertVisitor.Value = endpoints.Visitor;
                upsertPastVisitor.Value = endpoints.PastVisitor;
                upsertType.Value = link.Type ?? "";
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
    }

    public async Task<GraphWriteStats> LinkAttendedSessionsAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (pastKind == VisitorKind.ThisYear)
            throw new ArgumentException(
                $"attended_session links past visitors (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(pastKind));
        using var _ = graph.Exclusive();
        await using var transaction = graph.BeginWrite();

        await using var find = graph.Command("""
            SELECT v.id, s.id, r.visitor IS NOT NULL, r.scan_date, r.file, r.seminar_name
            FROM visitors v
            JOIN sessions s ON s.show = $show AND s.label = $sessionLabel AND s.session_id = $sessionId
            LEFT JOIN attended_session r ON r.visitor = v.id AND r.session = s.id
            WHERE v.show = $show AND v.label = $label AND v.badge_id = $badgeId
            """, transaction);
        find.Parameters.AddWithValue("$label", graph.VisitorLabel(pastKind));
        find.Parameters.AddWithValue("$sessionLabel", GraphLabels.SessionsPastYear);
        var findSessionId = find.Parameters.Add("$sessionId", SqliteType.Text);
        var findBadgeId = find.Parameters.Add("$badgeId", SqliteType.Text);
        await using var upsert = graph.Command("""
            INSERT INTO attended_session (show, visitor, session, scan_date, file, seminar_name)
            VALUES ($show, $visitor, $session, $scanDate, $file, $seminarName)
            ON CONFLICT (visitor, session) DO UPDATE
            SET scan_date = excluded.scan_date, file = excluded.file, seminar_name = excluded.seminar_name
            """, transaction);
        var upsertVisitor = upsert.Parameters.Add("$visitor", SqliteType.Integer);
        var upsertSession = upsert.Parameters.Add("$session", SqliteType.Integer);
        var upsertScanDate = upsert.Parameters.Add("$scanDate", SqliteType.Text);
        var upsertFile = upsert.Parameters.Add("$file", SqliteType.Text);
        var upsertSeminarName = upsert.Parameters.Add("$seminarName", SqliteType.Text);
        SqliteGraphConnection.PrepareAll(find, upsert);

        var stats = await SqliteUpsert.ForEachWithEndpointsAsync(links, find,
            link =>
            {
                findSessionId.Value = link.SessionId ?? "";
                findBadgeId.Value = link.BadgeId ?? "";
            },
            (reader, link) => ((Visitor: reader.GetInt64(0), Session: reader.GetInt64(1)), Exists: reader.GetBoolean(2),
                Same: reader.GetBoolean(2) && reader.GetString(3) == (link.ScanDate ?? "") && reader.GetString(4) == (link.File ?? "")
                    && reader.GetString(5) == (link.SeminarName ?? "")),
            mode,
            async (link, endpoints) =>
            {
                upsertVisitor.Value = endpoints.Visitor;
                upsertSession.Value = endpoints.Session;
                upsertScanDate.Value = link.ScanDate ?? "";
                upsertFile.Value = link.File ?? "";
                upsertSeminarName.Value = link.SeminarName ?? "";
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
    }
}
