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
    public async Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        IReadOnlyList<VisitorStreamLink> links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        using var _ = graph.Exclusive();
        await using var transaction = graph.BeginWrite();
        // The relationship has no properties: both modes create what is missing and keep what exists.
        await using var insert = graph.Command("""
            INSERT INTO visitor_streams (show, relation, visitor, stream)
            SELECT $show, $relation, v.id, s.id
            FROM visitors v JOIN streams s ON s.show = $show AND s.stream_key = $streamKey
            WHERE v.show = $show AND v.label = $label AND v.badge_id = $badgeId
            ON CONFLICT DO NOTHING
            """, transaction);
        insert.Parameters.AddWithValue("$relation", GraphLabels.Relation(relation));
        insert.Parameters.AddWithValue("$label", graph.VisitorLabel(kind));
        var badgeId = insert.Parameters.Add("$badgeId", SqliteType.Text);
        var streamKey = insert.Parameters.Add("$streamKey", SqliteType.Text);
        insert.Prepare();

        var stats = await SqliteUpsert.ForEachAsync(links, async link =>
        {
            badgeId.Value = link.BadgeId ?? "";
            streamKey.Value = StreamKey(link.Stream ?? "");
            // Nothing inserted: already linked, or the visitor or stream does not exist.
            return await insert.ExecuteNonQueryAsync(cancellationToken) > 0 ? SqliteUpsertOutcome.Created : SqliteUpsertOutcome.Skipped;
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
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
