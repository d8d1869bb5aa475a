using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Core.Graph.GraphNormalisation;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Links between existing nodes (job_to_stream / specialization_to_stream, Same_Visitor, attended_session), each write one
/// transaction. A link whose visitor, past visitor, session or stream does not exist is skipped. Each write reads the ids
/// it links inside its transaction, so it runs without foreign-key checks (see
/// <see cref="SqliteGraphConnection.WithoutForeignKeyChecksAsync"/>): they would make SQLite journal every batch.
/// </summary>
internal sealed class SqliteRelationshipWriter(SqliteGraphConnection graph)
{
    /// <summary>
    /// A million links at a large show: the label's visitors and the streams are looked up once, in memory, and the links
    /// inserted in batches (<see cref="SqliteBatchInsert"/>).
    /// The relationship has no properties: both modes create what is missing and keep what exists.
    /// </summary>
    public async Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        IReadOnlyList<VisitorStreamLink> links, CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        // Every row id the write references is read inside its transaction.
        return await graph.WithoutForeignKeyChecksAsync(() => LinkVisitorStreamsCoreAsync(kind, relation, links, cancellationToken));
    }

    private async Task<GraphWriteStats> LinkVisitorStreamsCoreAsync(VisitorKind kind, VisitorStreamRelation relation,
        IReadOnlyList<VisitorStreamLink> links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        cancellationToken.ThrowIfCancellationRequested();
        // Each link's visitor and stream as slots, before taking the write lock; only the ids are read under it.
        var (visitors, streams) = (new SqliteKeyIds(), new SqliteKeyIds());
        var streamSlots = new Dictionary<string, int>(StringComparer.Ordinal);
        var slots = new (int Visitor, int Stream)[links.Count];
        for (var i = 0; i < links.Count; i++)
        {
            var stream = links[i].Stream ?? "";
            if (!streamSlots.TryGetValue(stream, out var streamSlot)) streamSlots[stream] = streamSlot = streams.Slot(StreamKey(stream));
            slots[i] = (visitors.Slot(links[i].BadgeId ?? ""), streamSlot);
        }

        using var turn = await graph.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = graph.BeginWrite();
        LoadVisitorIds(visitors, kind);
        streams.Load(graph, "SELECT stream_key, id FROM streams WHERE show = ?1");
        var resolved = new List<(long Visitor, long Stream)>(links.Count);
        foreach (var (visitorSlot, streamSlot) in slots)
        {
            // A link whose visitor or stream does not exist is skipped, as one already stored is.
            var (visitor, stream) = (visitors.IdAt(visitorSlot), streams.IdAt(streamSlot));
            if (visitor >= 0 && stream >= 0) resolved.Add((visitor, stream));
        }
        cancellationToken.ThrowIfCancellationRequested();
        // In key order: B-tree appends rather than inserts all over the table (a link has nothing but its key: order is free).
        resolved.Sort();
        var created = SqliteBatchInsert.InsertAll(graph, "visitor_streams", ["relation"], [SqliteGraphSchema.RelationCode(relation)],
            ["visitor", "stream"], resolved, (statement, at, link) => statement.Bind(at, link.Visitor).Bind(at + 1, link.Stream),
            "ON CONFLICT DO NOTHING", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, 0, links.Count - created);
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
        using var _ = graph.Exclusive();
        // Every row id the write references is read inside its transaction.
        return await graph.WithoutForeignKeyChecksAsync(() => LinkSameVisitorsCoreAsync(links, mode, cancellationToken));
    }

    private async Task<GraphWriteStats> LinkSameVisitorsCoreAsync(IReadOnlyList<SameVisitorLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        for (var i = 0; i < links.Count; i++)
            if (links[i].PastKind == VisitorKind.ThisYear)
                throw new ArgumentException(
                    $"links[{i}]: a Same_Visitor link goes to a past visitor (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(links));
        var visitorsByKind = new Dictionary<VisitorKind, SqliteKeyIds> { [VisitorKind.ThisYear] = new() };
        foreach (var link in links)
        {
            visitorsByKind[VisitorKind.ThisYear].Slot(link.BadgeId ?? "");
            if (!visitorsByKind.TryGetValue(link.PastKind, out var past)) visitorsByKind[link.PastKind] = past = new SqliteKeyIds();
            past.Slot(link.PastBadgeId ?? "");
        }

        using var turn = await graph.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = graph.BeginWrite();
        foreach (var (kind, ids) in visitorsByKind) LoadVisitorIds(ids, kind);
        var stored = new Dictionary<(long Visitor, long PastVisitor), string>();
        await using (var findAll = graph.Command("SELECT visitor, past_visitor, type FROM same_visitor WHERE show = $show", transaction))
        await using (var reader = await findAll.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) stored[(reader.GetInt64(0), reader.GetInt64(1))] = reader.GetString(2);

        await using var update = graph.Command("UPDATE same_visitor SET type = $type WHERE visitor = $visitor AND past_visitor = $pastVisitor",
            transaction);
        var updateVisitor = update.Parameters.Add("$visitor", SqliteType.Integer);
        var updatePastVisitor = update.Parameters.Add("$pastVisitor", SqliteType.Integer);
        var updateType = update.Parameters.Add("$type", SqliteType.Text);
        SqliteGraphConnection.PrepareAll(update);

        var thisYear = visitorsByKind[VisitorKind.ThisYear];
        var stats = await SqliteUpsert.LinksAsync(links, mode, stored,
            link => thisYear.TryGetId(link.BadgeId ?? "", out var visitor)
                && visitorsByKind[link.PastKind].TryGetId(link.PastBadgeId ?? "", out var pastVisitor)
                    ? (visitor, pastVisitor) : null,
            link => link.Type ?? "",
            async (key, type) =>
            {
                (updateVisitor.Value, updatePastVisitor.Value, updateType.Value) = (key.Visitor, key.PastVisitor, type);
                await update.ExecuteNonQueryAsync(cancellationToken);
            },
            created => SqliteBatchInsert.InsertAll(graph, "same_visitor", [], [], ["visitor", "past_visitor", "type"], InKeyOrder(created),
                (statement, at, link) => statement.Bind(at, link.Key.Visitor).Bind(at + 1, link.Key.PastVisitor).Bind(at + 2, link.Value),
                cancellationToken: cancellationToken),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
    }

    public async Task<GraphWriteStats> LinkAttendedSessionsAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        using var _ = graph.Exclusive();
        // Every row id the write references is read inside its transaction.
        return await graph.WithoutForeignKeyChecksAsync(() => LinkAttendedSessionsCoreAsync(pastKind, links, mode, cancellationToken));
    }

    private async Task<GraphWriteStats> LinkAttendedSessionsCoreAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (pastKind == VisitorKind.ThisYear)
            throw new ArgumentException(
                $"attended_session links past visitors (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(pastKind));
        var visitors = new SqliteKeyIds();
        foreach (var link in links) visitors.Slot(link.BadgeId ?? "");

        using var turn = await graph.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = graph.BeginWrite();
        LoadVisitorIds(visitors, pastKind);
        Dictionary<string, long> sessions;
        await using (var findSessions = graph.Command("SELECT session_id, id FROM sessions WHERE show = $show AND label = $label", transaction))
        {
            findSessions.Parameters.AddWithValue("$label", GraphLabels.SessionsPastYear);
            sessions = await IdsAsync(findSessions, cancellationToken);
        }
        var stored = new Dictionary<(long Visitor, long Session), (string ScanDate, string File, string SeminarName)>();
        await using (var findAll = graph.Command("""
            SELECT a.visitor, a.session, a.scan_date, a.file, a.seminar_name
            FROM attended_session a JOIN visitors v ON v.id = a.visitor
            WHERE a.show = $show AND v.label = $label
            """, transaction))
        {
            findAll.Parameters.AddWithValue("$label", graph.VisitorLabel(pastKind));
            await using var reader = await findAll.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                stored[(reader.GetInt64(0), reader.GetInt64(1))] = (reader.GetString(2), reader.GetString(3), reader.GetString(4));
        }

        await using var update = graph.Command("""
            UPDATE attended_session SET scan_date = $scanDate, file = $file, seminar_name = $seminarName
            WHERE visitor = $visitor AND session = $session
            """, transaction);
        var updateVisitor = update.Parameters.Add("$visitor", SqliteType.Integer);
        var updateSession = update.Parameters.Add("$session", SqliteType.Integer);
        var updateScanDate = update.Parameters.Add("$scanDate", SqliteType.Text);
        var updateFile = update.Parameters.Add("$file", SqliteType.Text);
        var updateSeminarName = update.Parameters.Add("$seminarName", SqliteType.Text);
        SqliteGraphConnection.PrepareAll(update);

        var stats = await SqliteUpsert.LinksAsync(links, mode, stored,
            link => visitors.TryGetId(link.BadgeId ?? "", out var visitor) && sessions.TryGetValue(link.SessionId ?? "", out var session)
                ? (visitor, session) : null,
            link => (ScanDate: link.ScanDate ?? "", File: link.File ?? "", SeminarName: link.SeminarName ?? ""),
            async (key, value) =>
            {
                (updateVisitor.Value, updateSession.Value) = (key.Visitor, key.Session);
                (updateScanDate.Value, updateFile.Value, updateSeminarName.Value) = value;
                await update.ExecuteNonQueryAsync(cancellationToken);
            },
            created => SqliteBatchInsert.InsertAll(graph, "attended_session", [], [], ["visitor", "session", "scan_date", "file", "seminar_name"],
                InKeyOrder(created), (statement, at, link) => statement.Bind(at, link.Key.Visitor).Bind(at + 1, link.Key.Session)
                    .Bind(at + 2, link.Value.ScanDate).Bind(at + 3, link.Value.File).Bind(at + 4, link.Value.SeminarName),
                cancellationToken: cancellationToken),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
    }

    private void LoadVisitorIds(SqliteKeyIds ids, VisitorKind kind) =>
        ids.Load(graph, "SELECT badge_id, id FROM visitors WHERE show = ?1 AND label = ?2", graph.VisitorLabel(kind));

    /// <summary>
    /// New links (their keys unique) sorted by key, the table's primary key: B-tree appends instead of inserts all over it
    /// (scans come in no visitor order). The table holds the same rows whatever the order.
    /// </summary>
    private static List<(TKey Key, TValue Value)> InKeyOrder<TKey, TValue>(List<(TKey Key, TValue Value)> created)
        where TKey : IComparable<TKey>
    {
        created.Sort((a, b) => a.Key.CompareTo(b.Key));
        return created;
    }
}
