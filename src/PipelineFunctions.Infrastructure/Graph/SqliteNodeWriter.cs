using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Core.Graph.GraphNormalisation;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphValues;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Upserts of visitor, session and stream nodes (with the sessions' HAS_STREAM links), each one transaction of prepared
/// commands reused across rows. Full mode merges properties like Cypher's <c>SET n += row.properties</c>.
/// </summary>
internal sealed class SqliteNodeWriter(SqliteGraphConnection graph)
{
    /// <summary>
    /// One scan of the label's stored visitors instead of a lookup per visitor, and the new ones inserted in batches (a
    /// show's first load is tens of thousands of them). A key given twice in one call behaves as two calls in a row: the
    /// second merges into the first (full mode) or is skipped (incremental).
    /// </summary>
    public async Task<GraphWriteStats> UpsertVisitorsAsync(VisitorKind kind, IReadOnlyList<VisitorNode> visitors, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visitors);
        RequireKeys(visitors, v => v.BadgeId, nameof(VisitorNode.BadgeId), nameof(visitors));
        using var _ = graph.Exclusive();
        // The JSON of hundreds of thousands of rows is most of this write's own CPU: made on every core before taking the graph's
        // one writer's turn, so that another part's write can run meanwhile.
        var jsons = new string[visitors.Count];
        Parallel.For(0, visitors.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => jsons[i] = PropertiesJson(visitors[i].Properties));
        using var turn = await graph.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = graph.BeginWrite();
        var label = graph.VisitorLabel(kind);
        var stored = new Dictionary<string, (long Id, string Properties)>(StringComparer.Ordinal);
        // In row order over the label's row-id range: through the key index each wide row would be a random seek.
        await using (var findAll = graph.Command("""
            SELECT badge_id, id, properties FROM visitors NOT INDEXED
            WHERE id BETWEEN (SELECT min(id) FROM visitors WHERE show = $show AND label = $label)
                AND (SELECT max(id) FROM visitors WHERE show = $show AND label = $label)
                AND show = $show AND label = $label
            """, transaction))
        {
            findAll.Parameters.AddWithValue("$label", label);
            await using var reader = await findAll.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) stored[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        }
        await using var update = graph.Command("UPDATE visitors SET properties = $properties WHERE id = $id", transaction);
        var updateId = update.Parameters.Add("$id", SqliteType.Integer);
        var updateProperties = update.Parameters.Add("$properties", SqliteType.Text);
        SqliteGraphConnection.PrepareAll(update);

        var created = new List<(string BadgeId, string Properties)>();
        var createdIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        long updated = 0, skipped = 0;
        var next = 0;
        foreach (var visitor in visitors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var json = jsons[next++];
            if (stored.TryGetValue(visitor.BadgeId, out var row))
            {
                if (mode != GraphWriteMode.Full || MergedPropertiesIfChanged(row.Properties, json, visitor.Properties) is not { } merged)
                {
                    skipped++;
                    continue;
                }
                updateId.Value = row.Id;
                updateProperties.Value = merged;
                await update.ExecuteNonQueryAsync(cancellationToken);
                stored[visitor.BadgeId] = (row.Id, merged);
                updated++;
            }
            else if (createdIndex.TryGetValue(visitor.BadgeId, out var earlier))
            {
                if (mode != GraphWriteMode.Full || MergedPropertiesIfChanged(created[earlier].Properties, json, visitor.Properties) is not { } merged)
                {
                    skipped++;
                    continue;
                }
                created[earlier] = (visitor.BadgeId, merged);
                updated++;
            }
            else
            {
                createdIndex[visitor.BadgeId] = created.Count;
                created.Add((visitor.BadgeId, json));
            }
        }
        SqliteBatchInsert.InsertAll(graph, "visitors", ["label"], [label], ["badge_id", "properties"], created,
            (statement, at, row) => statement.Bind(at, row.BadgeId).Bind(at + 1, row.Properties), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created.Count, updated, skipped);
    }

    public async Task<GraphWriteStats> UpsertSessionsAsync(SessionYear year, IReadOnlyList<SessionNode> sessions, GraphWriteMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        RequireKeys(sessions, s => s.SessionId, nameof(SessionNode.SessionId), nameof(sessions));
        using var _ = graph.Exclusive();
        using var turn = await graph.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = graph.BeginWrite();
        var label = GraphLabels.Session(year);

        long deleted = 0;
        if (year == SessionYear.ThisYear && mode == GraphWriteMode.Full)
        {
            // Cascades to HAS_STREAM, IS_RECOMMENDED and embeddings; the visitors' flags describe recommendations that are gone.
            await using var delete = graph.Command("DELETE FROM sessions WHERE show = $show AND label = $label", transaction);
            delete.Parameters.AddWithValue("$label", label);
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            await using var clearFlags = graph.Command("""
                DELETE FROM visitor_flags WHERE visitor IN (SELECT id FROM visitors WHERE show = $show AND label = $label)
                """, transaction);
            clearFlags.Parameters.AddWithValue("$label", GraphLabels.VisitorThisYear);
            await clearFlags.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var find = graph.Command(
            "SELECT id, streams, properties FROM sessions WHERE show = $show AND label = $label AND session_id = $key", transaction);
        find.Parameters.AddWithValue("$label", label);
        var findKey = find.Parameters.Add("$key", SqliteType.Text);
        await using var insert = graph.Command("""
            INSERT INTO sessions (show, label, session_id, streams, properties) VALUES ($show, $label, $key, $streams, $properties) RETURNING id
            """, transaction);
        insert.Parameters.AddWithValue("$label", label);
        var insertKey = insert.Parameters.Add("$key", SqliteType.Text);
        var insertStreams = insert.Parameters.Add("$streams", SqliteType.Text);
        var insertProperties = insert.Parameters.Add("$properties", SqliteType.Text);
        await using var update = graph.Command("UPDATE sessions SET streams = $streams, properties = $properties WHERE id = $id", transaction);
        var updateId = update.Parameters.Add("$id", SqliteType.Integer);
        var updateStreams = update.Parameters.Add("$streams", SqliteType.Text);
        var updateProperties = update.Parameters.Add("$properties", SqliteType.Text);
        await using var unlink = graph.Command("DELETE FROM has_stream WHERE session = $session", transaction);
        var unlinkSession = unlink.Parameters.Add("$session", SqliteType.Integer);
        await using var link = graph.Command(
            "INSERT INTO has_stream (show, session, stream) VALUES ($show, $session, $stream) ON CONFLICT DO NOTHING", transaction);
        var linkSession = link.Parameters.Add("$session", SqliteType.Integer);
        var linkStream = link.Parameters.Add("$stream", SqliteType.Integer);
        SqliteGraphConnection.PrepareAll(find, insert, update, unlink, link);
        var streamIds = new SqliteStreamIds(graph, transaction);
        await streamIds.LoadAsync(cancellationToken);

        var stats = await SqliteUpsert.ForEachAsync(sessions, find, session => findKey.Value = session.SessionId,
            (reader, _) => (Id: reader.GetInt64(0), Streams: reader.GetString(1), Properties: reader.GetString(2)),
            async (session, stored) =>
            {
                var streams = CleanStreams(session.Streams);
                var streamsJson = StreamsJson(streams);
                var propertiesJson = PropertiesJson(session.Properties);
                long sessionRow;
                List<string> linkedStreams;
                SqliteUpsertOutcome outcome;
                if (stored is not { } row)
                {
                    insertKey.Value = session.SessionId;
                    insertStreams.Value = streamsJson;
                    insertProperties.Value = propertiesJson;
                    sessionRow = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
                    (linkedStreams, outcome) = (streams, SqliteUpsertOutcome.Created);
                }
                else
                {
                    sessionRow = row.Id;
                    var streamsChanged = !string.Equals(row.Streams, streamsJson, StringComparison.Ordinal);
                    var mergedProperties = MergedPropertiesIfChanged(row.Properties, propertiesJson, session.Properties);
                    if (mode == GraphWriteMode.Full && (streamsChanged || mergedProperties is not null))
                    {
                        updateId.Value = sessionRow;
                        updateStreams.Value = streamsJson;
                        updateProperties.Value = mergedProperties ?? row.Properties;
                        await update.ExecuteNonQueryAsync(cancellationToken);
                        if (streamsChanged)
                        {
                            unlinkSession.Value = sessionRow;
                            await unlink.ExecuteNonQueryAsync(cancellationToken);
                        }
                        (linkedStreams, outcome) = (streams, SqliteUpsertOutcome.Updated);
                    }
                    else
                    {
                        // Kept as stored; its links are (re)made from the stored streams, which is a no-op when they exist.
                        (linkedStreams, outcome) = (ReadStreams(row.Streams), SqliteUpsertOutcome.Skipped);
                    }
                }

                foreach (var stream in linkedStreams)
                {
                    linkSession.Value = sessionRow;
                    linkStream.Value = await streamIds.IdCreatingMissingAsync(stream, cancellationToken);
                    await link.ExecuteNonQueryAsync(cancellationToken);
                }
                return outcome;
            }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats with { Deleted = deleted };
    }

    public async Task<GraphWriteStats> UpsertStreamsAsync(IReadOnlyList<StreamNode> streams, GraphWriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        RequireKeys(streams, s => s.Stream, nameof(StreamNode.Stream), nameof(streams));
        using var _ = graph.Exclusive();
        using var turn = await graph.WaitForWriteTurnAsync(cancellationToken);
        await using var transaction = graph.BeginWrite();

        await using var find = graph.Command("SELECT id, stream, description FROM streams WHERE show = $show AND stream_key = $key", transaction);
        var findKey = find.Parameters.Add("$key", SqliteType.Text);
        await using var insert = graph.Command(
            "INSERT INTO streams (show, stream_key, stream, description) VALUES ($show, $key, $stream, $description)", transaction);
        var insertKey = insert.Parameters.Add("$key", SqliteType.Text);
        var insertStream = insert.Parameters.Add("$stream", SqliteType.Text);
        var insertDescription = insert.Parameters.Add("$description", SqliteType.Text);
        await using var update = graph.Command("UPDATE streams SET stream = $stream, description = $description WHERE id = $id", transaction);
        var updateId = update.Parameters.Add("$id", SqliteType.Integer);
        var updateStream = update.Parameters.Add("$stream", SqliteType.Text);
        var updateDescription = update.Parameters.Add("$description", SqliteType.Text);
        SqliteGraphConnection.PrepareAll(find, insert, update);

        var stats = await SqliteUpsert.ForEachAsync(streams, find, stream => findKey.Value = StreamKey(stream.Stream),
            (reader, stream) => (Id: reader.GetInt64(0),
                Same: reader.GetString(1) == stream.Stream.Trim() && reader.GetString(2) == (stream.Description ?? "")),
            async (stream, stored) =>
            {
                var (name, description) = (stream.Stream.Trim(), stream.Description ?? "");
                var outcome = SqliteUpsert.Decide(stored is not null, stored?.Same ?? false, mode);
                if (outcome == SqliteUpsertOutcome.Created)
                {
                    insertKey.Value = StreamKey(name);
                    insertStream.Value = name;
                    insertDescription.Value = description;
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                else if (outcome == SqliteUpsertOutcome.Updated)
                {
                    updateId.Value = stored!.Value.Id;
                    updateStream.Value = name;
                    updateDescription.Value = description;
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }
                return outcome;
            }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stats;
    }

    private static void RequireKeys<T>(IReadOnlyList<T> items, Func<T, string?> key, string keyName, string parameterName)
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i] is null || string.IsNullOrWhiteSpace(key(items[i])))
                throw new ArgumentException($"{parameterName}[{i}]: the key {keyName} is blank; every node needs one", parameterName);
    }
}
