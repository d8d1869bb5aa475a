using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using SQLitePCL;
using static PipelineFunctions.Infrastructure.Graph.SqliteGraphValues;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// The agenda graph in an embedded SQLite file (the default adapter; see <see cref="SqliteGraphSchema"/> for the tables).
/// Every write is one transaction of prepared commands reused across rows; every read is one query, ordered by key.
/// <para>
/// Not for concurrent use: an instance owns one connection, and a second call while one runs throws. Parallel workers
/// each open their own instance from <see cref="SqliteAgendaGraphFactory"/>; instances on the same file may write at
/// the same time (WAL journal, and a writer waits up to <see cref="BusyTimeout"/> for another's transaction).
/// </para>
/// <para>
/// Semantics shared with the Neo4j adapter (<see cref="Neo4jCypher"/>): full mode merges properties like
/// <c>SET n += row.properties</c> (given keys are set, others kept); a null property value is stored as "";
/// session stream names are trimmed and blank ones dropped; a duplicate key within one call counts as a second
/// write of the same node (the last one wins).
/// </para>
/// </summary>
public sealed class SqliteAgendaGraph : IAgendaGraph
{
    /// <summary>How long a write waits for another instance's transaction on the same file before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

    private readonly SqliteConnection _connection;
    private readonly GraphIdentity _identity;
    private int _inUse;
    private bool _disposed;

    private SqliteAgendaGraph(SqliteConnection connection, GraphIdentity identity, string databasePath)
    {
        _connection = connection;
        _identity = identity;
        DatabasePath = databasePath;
    }

    public string Show => _identity.Show;

    public string DatabasePath { get; }

    internal static async Task<SqliteAgendaGraph> OpenAsync(string databasePath, GraphIdentity identity, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pool: disposing the graph closes the file (and checkpoints the WAL), so it can be moved or deleted.
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = SqliteGraphSchema.ConnectionPragmas(BusyTimeout);
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
            }
            var graph = new SqliteAgendaGraph(connection, identity, databasePath);
            await graph.EnsureSchemaAsync(cancellationToken);
            return graph;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await SqliteGraphSchema.EnsureAsync(_connection, DatabasePath, cancellationToken);
    }

    // ---------------------------------------------------------------- nodes

    public async Task<GraphWriteStats> UpsertVisitorsAsync(VisitorKind kind, IReadOnlyList<VisitorNode> visitors, GraphWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitors);
        RequireKeys(visitors, v => v.BadgeId, nameof(VisitorNode.BadgeId), nameof(visitors));
        using var _ = Exclusive();
        await using var transaction = BeginWrite();

        await using var find = Command("SELECT id, properties FROM visitors WHERE show = $show AND label = $label AND badge_id = $key", transaction);
        find.Parameters.AddWithValue("$label", VisitorLabel(kind));
        var findKey = find.Parameters.Add("$key", SqliteType.Text);
        await using var insert = Command("INSERT INTO visitors (show, label, badge_id, properties) VALUES ($show, $label, $key, $properties)", transaction);
        insert.Parameters.AddWithValue("$label", VisitorLabel(kind));
        var insertKey = insert.Parameters.Add("$key", SqliteType.Text);
        var insertProperties = insert.Parameters.Add("$properties", SqliteType.Text);
        await using var update = Command("UPDATE visitors SET properties = $properties WHERE id = $id", transaction);
        var updateId = update.Parameters.Add("$id", SqliteType.Integer);
        var updateProperties = update.Parameters.Add("$properties", SqliteType.Text);
        PrepareAll(find, insert, update);

        long created = 0, updated = 0, skipped = 0;
        foreach (var visitor in visitors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var json = PropertiesJson(visitor.Properties);
            findKey.Value = visitor.BadgeId;
            var existing = await ReadIdAndTextAsync(find, cancellationToken);
            if (existing is null)
            {
                insertKey.Value = visitor.BadgeId;
                insertProperties.Value = json;
                await insert.ExecuteNonQueryAsync(cancellationToken);
                created++;
            }
            else if (mode == GraphWriteMode.Full && MergedPropertiesIfChanged(existing.Value.Text, json, visitor.Properties) is { } merged)
            {
                updateId.Value = existing.Value.Id;
                updateProperties.Value = merged;
                await update.ExecuteNonQueryAsync(cancellationToken);
                updated++;
            }
            else skipped++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, updated, skipped);
    }

    public async Task<GraphWriteStats> UpsertSessionsAsync(SessionYear year, IReadOnlyList<SessionNode> sessions, GraphWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        RequireKeys(sessions, s => s.SessionId, nameof(SessionNode.SessionId), nameof(sessions));
        using var _ = Exclusive();
        await using var transaction = BeginWrite();
        var label = GraphLabels.Session(year);

        long deleted = 0;
        if (year == SessionYear.ThisYear && mode == GraphWriteMode.Full)
        {
            // Cascades to HAS_STREAM, IS_RECOMMENDED and embeddings; the visitors' flags describe recommendations that are gone.
            await using var delete = Command("DELETE FROM sessions WHERE show = $show AND label = $label", transaction);
            delete.Parameters.AddWithValue("$label", label);
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
            await using var clearFlags = Command("""
                UPDATE visitors SET has_recommendation = 0, control_group = 0
                WHERE show = $show AND label = $label AND (has_recommendation <> 0 OR control_group <> 0)
                """, transaction);
            clearFlags.Parameters.AddWithValue("$label", GraphLabels.VisitorThisYear);
            await clearFlags.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var find = Command("SELECT id, streams, properties FROM sessions WHERE show = $show AND label = $label AND session_id = $key", transaction);
        find.Parameters.AddWithValue("$label", label);
        var findKey = find.Parameters.Add("$key", SqliteType.Text);
        await using var insert = Command("""
            INSERT INTO sessions (show, label, session_id, streams, properties) VALUES ($show, $label, $key, $streams, $properties) RETURNING id
            """, transaction);
        insert.Parameters.AddWithValue("$label", label);
        var insertKey = insert.Parameters.Add("$key", SqliteType.Text);
        var insertStreams = insert.Parameters.Add("$streams", SqliteType.Text);
        var insertProperties = insert.Parameters.Add("$properties", SqliteType.Text);
        await using var update = Command("UPDATE sessions SET streams = $streams, properties = $properties WHERE id = $id", transaction);
        var updateId = update.Parameters.Add("$id", SqliteType.Integer);
        var updateStreams = update.Parameters.Add("$streams", SqliteType.Text);
        var updateProperties = update.Parameters.Add("$properties", SqliteType.Text);
        await using var unlink = Command("DELETE FROM has_stream WHERE session = $session", transaction);
        var unlinkSession = unlink.Parameters.Add("$session", SqliteType.Integer);
        await using var link = Command("INSERT INTO has_stream (show, session, stream) VALUES ($show, $session, $stream) ON CONFLICT DO NOTHING", transaction);
        var linkSession = link.Parameters.Add("$session", SqliteType.Integer);
        var linkStream = link.Parameters.Add("$stream", SqliteType.Integer);
        PrepareAll(find, insert, update, unlink, link);
        var streamIds = await StreamIdsAsync(transaction, cancellationToken);

        long created = 0, updated = 0, skipped = 0;
        foreach (var session in sessions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var streams = CleanStreams(session.Streams);
            var streamsJson = StreamsJson(streams);
            var propertiesJson = PropertiesJson(session.Properties);
            findKey.Value = session.SessionId;
            long sessionRow;
            List<string> linkedStreams;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    await reader.CloseAsync();
                    insertKey.Value = session.SessionId;
                    insertStreams.Value = streamsJson;
                    insertProperties.Value = propertiesJson;
                    sessionRow = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
                    linkedStreams = streams;
                    created++;
                }
                else
                {
                    sessionRow = reader.GetInt64(0);
                    var storedStreams = reader.GetString(1);
                    var storedProperties = reader.GetString(2);
                    await reader.CloseAsync();
                    var streamsChanged = !string.Equals(storedStreams, streamsJson, StringComparison.Ordinal);
                    var mergedProperties = MergedPropertiesIfChanged(storedProperties, propertiesJson, session.Properties);
                    if (mode == GraphWriteMode.Full && (streamsChanged || mergedProperties is not null))
                    {
                        updateId.Value = sessionRow;
                        updateStreams.Value = streamsJson;
                        updateProperties.Value = mergedProperties ?? storedProperties;
                        await update.ExecuteNonQueryAsync(cancellationToken);
                        if (streamsChanged)
                        {
                            unlinkSession.Value = sessionRow;
                            await unlink.ExecuteNonQueryAsync(cancellationToken);
                        }
                        linkedStreams = streams;
                        updated++;
                    }
                    else
                    {
                        // Kept as stored; its links are (re)made from the stored streams, which is a no-op when they exist.
                        linkedStreams = ReadStreams(storedStreams);
                        skipped++;
                    }
                }
            }

            foreach (var stream in linkedStreams)
            {
                linkSession.Value = sessionRow;
                linkStream.Value = await StreamIdCreatingMissingAsync(streamIds, stream, transaction, cancellationToken);
                await link.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, updated, skipped, deleted);
    }

    public async Task<GraphWriteStats> UpsertStreamsAsync(IReadOnlyList<StreamNode> streams, GraphWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        RequireKeys(streams, s => s.Stream, nameof(StreamNode.Stream), nameof(streams));
        using var _ = Exclusive();
        await using var transaction = BeginWrite();

        await using var find = Command("SELECT id, stream, description FROM streams WHERE show = $show AND stream_key = $key", transaction);
        var findKey = find.Parameters.Add("$key", SqliteType.Text);
        await using var insert = Command("INSERT INTO streams (show, stream_key, stream, description) VALUES ($show, $key, $stream, $description)", transaction);
        var insertKey = insert.Parameters.Add("$key", SqliteType.Text);
        var insertStream = insert.Parameters.Add("$stream", SqliteType.Text);
        var insertDescription = insert.Parameters.Add("$description", SqliteType.Text);
        await using var update = Command("UPDATE streams SET stream = $stream, description = $description WHERE id = $id", transaction);
        var updateId = update.Parameters.Add("$id", SqliteType.Integer);
        var updateStream = update.Parameters.Add("$stream", SqliteType.Text);
        var updateDescription = update.Parameters.Add("$description", SqliteType.Text);
        PrepareAll(find, insert, update);

        long created = 0, updated = 0, skipped = 0;
        foreach (var stream in streams)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = stream.Stream.Trim();
            var description = stream.Description ?? "";
            findKey.Value = StreamKey(name);
            long? id = null;
            var same = false;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    id = reader.GetInt64(0);
                    same = reader.GetString(1) == name && reader.GetString(2) == description;
                }
            }
            if (id is null)
            {
                insertKey.Value = StreamKey(name);
                insertStream.Value = name;
                insertDescription.Value = description;
                await insert.ExecuteNonQueryAsync(cancellationToken);
                created++;
            }
            else if (mode == GraphWriteMode.Full && !same)
            {
                updateId.Value = id;
                updateStream.Value = name;
                updateDescription.Value = description;
                await update.ExecuteNonQueryAsync(cancellationToken);
                updated++;
            }
            else skipped++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, updated, skipped);
    }

    // ---------------------------------------------------------------- relationships

    public async Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation, IReadOnlyList<VisitorStreamLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        using var _ = Exclusive();
        await using var transaction = BeginWrite();
        // The relationship has no properties: both modes create what is missing and keep what exists.
        await using var insert = Command("""
            INSERT INTO visitor_streams (show, relation, visitor, stream)
            SELECT $show, $relation, v.id, s.id
            FROM visitors v JOIN streams s ON s.show = $show AND s.stream_key = $streamKey
            WHERE v.show = $show AND v.label = $label AND v.badge_id = $badgeId
            ON CONFLICT DO NOTHING
            """, transaction);
        insert.Parameters.AddWithValue("$relation", GraphLabels.Relation(relation));
        insert.Parameters.AddWithValue("$label", VisitorLabel(kind));
        var badgeId = insert.Parameters.Add("$badgeId", SqliteType.Text);
        var streamKey = insert.Parameters.Add("$streamKey", SqliteType.Text);
        insert.Prepare();

        long created = 0, skipped = 0;
        foreach (var link in links)
        {
            cancellationToken.ThrowIfCancellationRequested();
            badgeId.Value = link.BadgeId ?? "";
            streamKey.Value = StreamKey(link.Stream ?? "");
            if (await insert.ExecuteNonQueryAsync(cancellationToken) > 0) created++;
            else skipped++; // already linked, or the visitor or stream does not exist
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, 0, skipped);
    }

    public async Task<GraphWriteStats> LinkSameVisitorsAsync(IReadOnlyList<SameVisitorLink> links, GraphWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        for (var i = 0; i < links.Count; i++)
            if (links[i].PastKind == VisitorKind.ThisYear)
                throw new ArgumentException($"links[{i}]: a Same_Visitor link goes to a past visitor (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(links));
        using var _ = Exclusive();
        await using var transaction = BeginWrite();

        await using var find = Command("""
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
        await using var upsert = Command("""
            INSERT INTO same_visitor (show, visitor, past_visitor, type) VALUES ($show, $visitor, $pastVisitor, $type)
            ON CONFLICT (visitor, past_visitor) DO UPDATE SET type = excluded.type
            """, transaction);
        var upsertVisitor = upsert.Parameters.Add("$visitor", SqliteType.Integer);
        var upsertPastVisitor = upsert.Parameters.Add("$pastVisitor", SqliteType.Integer);
        var upsertType = upsert.Parameters.Add("$type", SqliteType.Text);
        PrepareAll(find, upsert);

        long created = 0, updated = 0, skipped = 0;
        foreach (var link in links)
        {
            cancellationToken.ThrowIfCancellationRequested();
            findPastLabel.Value = VisitorLabel(link.PastKind);
            findPastBadgeId.Value = link.PastBadgeId ?? "";
            findBadgeId.Value = link.BadgeId ?? "";
            var type = link.Type ?? "";
            long visitor, pastVisitor;
            bool exists, same;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken)) { skipped++; continue; } // an endpoint is missing
                (visitor, pastVisitor, exists) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2));
                same = exists && reader.GetString(3) == type;
            }
            if (exists && (mode == GraphWriteMode.Incremental || same)) { skipped++; continue; }
            upsertVisitor.Value = visitor;
            upsertPastVisitor.Value = pastVisitor;
            upsertType.Value = type;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            if (exists) updated++; else created++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, updated, skipped);
    }

    public async Task<GraphWriteStats> LinkAttendedSessionsAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (pastKind == VisitorKind.ThisYear)
            throw new ArgumentException($"attended_session links past visitors (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(pastKind));
        using var _ = Exclusive();
        await using var transaction = BeginWrite();

        await using var find = Command("""
            SELECT v.id, s.id, r.visitor IS NOT NULL, r.scan_date, r.file, r.seminar_name
            FROM visitors v
            JOIN sessions s ON s.show = $show AND s.label = $sessionLabel AND s.session_id = $sessionId
            LEFT JOIN attended_session r ON r.visitor = v.id AND r.session = s.id
            WHERE v.show = $show AND v.label = $label AND v.badge_id = $badgeId
            """, transaction);
        find.Parameters.AddWithValue("$label", VisitorLabel(pastKind));
        find.Parameters.AddWithValue("$sessionLabel", GraphLabels.SessionsPastYear);
        var findSessionId = find.Parameters.Add("$sessionId", SqliteType.Text);
        var findBadgeId = find.Parameters.Add("$badgeId", SqliteType.Text);
        await using var upsert = Command("""
            INSERT INTO attended_session (show, visitor, session, scan_date, file, seminar_name) VALUES ($show, $visitor, $session, $scanDate, $file, $seminarName)
            ON CONFLICT (visitor, session) DO UPDATE SET scan_date = excluded.scan_date, file = excluded.file, seminar_name = excluded.seminar_name
            """, transaction);
        var upsertVisitor = upsert.Parameters.Add("$visitor", SqliteType.Integer);
        var upsertSession = upsert.Parameters.Add("$session", SqliteType.Integer);
        var upsertScanDate = upsert.Parameters.Add("$scanDate", SqliteType.Text);
        var upsertFile = upsert.Parameters.Add("$file", SqliteType.Text);
        var upsertSeminarName = upsert.Parameters.Add("$seminarName", SqliteType.Text);
        PrepareAll(find, upsert);

        long created = 0, updated = 0, skipped = 0;
        foreach (var link in links)
        {
            cancellationToken.ThrowIfCancellationRequested();
            findSessionId.Value = link.SessionId ?? "";
            findBadgeId.Value = link.BadgeId ?? "";
            var (scanDate, file, seminarName) = (link.ScanDate ?? "", link.File ?? "", link.SeminarName ?? "");
            long visitor, session;
            bool exists, same;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken)) { skipped++; continue; } // an endpoint is missing
                (visitor, session, exists) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2));
                same = exists && reader.GetString(3) == scanDate && reader.GetString(4) == file && reader.GetString(5) == seminarName;
            }
            if (exists && (mode == GraphWriteMode.Incremental || same)) { skipped++; continue; }
            upsertVisitor.Value = visitor;
            upsertSession.Value = session;
            upsertScanDate.Value = scanDate;
            upsertFile.Value = file;
            upsertSeminarName.Value = seminarName;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            if (exists) updated++; else created++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, updated, skipped);
    }

    // ---------------------------------------------------------------- reads

    public async Task<IReadOnlyList<VisitorNode>> ReadVisitorsAsync(VisitorKind kind, bool onlyWithoutRecommendation = false, CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT badge_id, properties, has_recommendation, control_group FROM visitors
            WHERE show = $show AND label = $label AND (NOT $onlyWithout OR has_recommendation = 0)
            ORDER BY badge_id
            """);
        read.Parameters.AddWithValue("$label", VisitorLabel(kind));
        read.Parameters.AddWithValue("$onlyWithout", onlyWithoutRecommendation);
        var keys = new PropertyKeyCache();
        return await ReadAllAsync(read, r => new VisitorNode(r.GetString(0), ReadProperties(r.GetFieldValue<byte[]>(1), keys))
        {
            HasRecommendation = r.GetBoolean(2),
            ControlGroup = r.GetBoolean(3),
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<SessionNode>> ReadSessionsAsync(SessionYear year, CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("SELECT session_id, streams, properties FROM sessions WHERE show = $show AND label = $label ORDER BY session_id");
        read.Parameters.AddWithValue("$label", GraphLabels.Session(year));
        var keys = new PropertyKeyCache();
        return await ReadAllAsync(read, r => new SessionNode(r.GetString(0), ReadStreams(r.GetString(1)), ReadProperties(r.GetFieldValue<byte[]>(2), keys)), cancellationToken);
    }

    public async Task<IReadOnlyList<StreamNode>> ReadStreamsAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("SELECT stream, description FROM streams WHERE show = $show ORDER BY stream_key");
        return await ReadAllAsync(read, r => new StreamNode(r.GetString(0), r.GetString(1)), cancellationToken);
    }

    public async Task<IReadOnlyList<VisitorStreamLink>> ReadVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation, CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT v.badge_id, s.stream
            FROM visitor_streams r JOIN visitors v ON v.id = r.visitor JOIN streams s ON s.id = r.stream
            WHERE r.show = $show AND r.relation = $relation AND v.label = $label
            ORDER BY v.badge_id, s.stream_key
            """);
        read.Parameters.AddWithValue("$relation", GraphLabels.Relation(relation));
        read.Parameters.AddWithValue("$label", VisitorLabel(kind));
        return await ReadAllAsync(read, r => new VisitorStreamLink(r.GetString(0), r.GetString(1)), cancellationToken);
    }

    public async Task<IReadOnlyList<SameVisitorLink>> ReadSameVisitorsAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT v.badge_id, p.label = $mainLabel, p.badge_id, r.type
            FROM same_visitor r JOIN visitors v ON v.id = r.visitor JOIN visitors p ON p.id = r.past_visitor
            WHERE r.show = $show AND v.label = $label AND p.label IN ($mainLabel, $secondaryLabel)
            ORDER BY v.badge_id, p.label = $mainLabel DESC, p.badge_id
            """);
        read.Parameters.AddWithValue("$label", GraphLabels.VisitorThisYear);
        read.Parameters.AddWithValue("$mainLabel", VisitorLabel(VisitorKind.PastMain));
        read.Parameters.AddWithValue("$secondaryLabel", VisitorLabel(VisitorKind.PastSecondary));
        return await ReadAllAsync(read, r => new SameVisitorLink(r.GetString(0), r.GetBoolean(1) ? VisitorKind.PastMain : VisitorKind.PastSecondary, r.GetString(2), r.GetString(3)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<AttendanceLink>> ReadAttendedSessionsAsync(VisitorKind pastKind, CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT v.badge_id, s.session_id, r.scan_date, r.file, r.seminar_name
            FROM attended_session r JOIN visitors v ON v.id = r.visitor JOIN sessions s ON s.id = r.session
            WHERE r.show = $show AND v.label = $label
            ORDER BY v.badge_id, s.session_id
            """);
        read.Parameters.AddWithValue("$label", VisitorLabel(pastKind));
        return await ReadAllAsync(read, r => new AttendanceLink(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)), cancellationToken);
    }

    // ---------------------------------------------------------------- embeddings

    public async Task<IReadOnlyList<EmbeddingStamp>> ReadEmbeddingStampsAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT s.label = $thisYear, s.session_id, e.text_hash, e.model
            FROM session_embeddings e JOIN sessions s ON s.id = e.session
            WHERE e.show = $show AND s.label IN ($thisYear, $past)
            ORDER BY s.label = $thisYear DESC, s.session_id
            """);
        read.Parameters.AddWithValue("$thisYear", GraphLabels.SessionsThisYear);
        read.Parameters.AddWithValue("$past", GraphLabels.SessionsPastYear);
        return await ReadAllAsync(read, r => new EmbeddingStamp(r.GetBoolean(0) ? SessionYear.ThisYear : SessionYear.Past, r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken);
    }

    public async Task<GraphWriteStats> StoreEmbeddingsAsync(IReadOnlyList<SessionEmbedding> embeddings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        for (var i = 0; i < embeddings.Count; i++)
            if (embeddings[i].Vector is not { Length: > 0 })
                throw new ArgumentException($"embeddings[{i}] (session '{embeddings[i].SessionId}'): the vector is empty", nameof(embeddings));
        using var _ = Exclusive();
        await using var transaction = BeginWrite();

        await using var find = Command("""
            SELECT s.id, e.session IS NOT NULL, e.text_hash, e.model, e.vector
            FROM sessions s LEFT JOIN session_embeddings e ON e.session = s.id
            WHERE s.show = $show AND s.label = $label AND s.session_id = $sessionId
            """, transaction);
        var findLabel = find.Parameters.Add("$label", SqliteType.Text);
        var findSessionId = find.Parameters.Add("$sessionId", SqliteType.Text);
        await using var upsert = Command("""
            INSERT INTO session_embeddings (session, show, text_hash, model, dimensions, vector) VALUES ($session, $show, $textHash, $model, $dimensions, $vector)
            ON CONFLICT (session) DO UPDATE SET text_hash = excluded.text_hash, model = excluded.model, dimensions = excluded.dimensions, vector = excluded.vector
            """, transaction);
        var upsertSession = upsert.Parameters.Add("$session", SqliteType.Integer);
        var upsertTextHash = upsert.Parameters.Add("$textHash", SqliteType.Text);
        var upsertModel = upsert.Parameters.Add("$model", SqliteType.Text);
        var upsertDimensions = upsert.Parameters.Add("$dimensions", SqliteType.Integer);
        var upsertVector = upsert.Parameters.Add("$vector", SqliteType.Blob);
        PrepareAll(find, upsert);

        long created = 0, updated = 0, skipped = 0;
        foreach (var embedding in embeddings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            findLabel.Value = GraphLabels.Session(embedding.Year);
            findSessionId.Value = embedding.SessionId ?? "";
            var (textHash, model) = (embedding.TextHash ?? "", embedding.Model ?? "");
            var vector = VectorBytes(embedding.Vector);
            long session;
            bool exists, same;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken)) { skipped++; continue; } // the session no longer exists
                (session, exists) = (reader.GetInt64(0), reader.GetBoolean(1));
                same = exists && reader.GetString(2) == textHash && reader.GetString(3) == model
                    && vector.AsSpan().SequenceEqual(reader.GetFieldValue<byte[]>(4));
            }
            if (same) { skipped++; continue; }
            upsertSession.Value = session;
            upsertTextHash.Value = textHash;
            upsertModel.Value = model;
            upsertDimensions.Value = embedding.Vector.Length;
            upsertVector.Value = vector;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            if (exists) updated++; else created++;
        }
        await transaction.CommitAsync(cancellationToken);
        return new GraphWriteStats(created, updated, skipped);
    }

    public async Task<IReadOnlyList<SessionEmbedding>> ReadEmbeddingsAsync(SessionYear year, CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT s.session_id, e.text_hash, e.model, e.vector
            FROM session_embeddings e JOIN sessions s ON s.id = e.session
            WHERE e.show = $show AND s.label = $label
            ORDER BY s.session_id
            """);
        read.Parameters.AddWithValue("$label", GraphLabels.Session(year));
        return await ReadAllAsync(read, r => new SessionEmbedding(year, r.GetString(0), r.GetString(1), r.GetString(2), ReadVector(r.GetFieldValue<byte[]>(3))),
            cancellationToken);
    }

    // ---------------------------------------------------------------- recommendations

    /// <summary>
    /// Replaces the IS_RECOMMENDED links of <paramref name="badgeIds"/> (their old links count as Deleted), then sets
    /// has_recommendation = whether the visitor got at least one link, and control_group = whether it is in
    /// <paramref name="controlGroup"/>. A link to a missing visitor or session is skipped; a duplicate (visitor,
    /// session) overwrites the earlier one and counts as Updated.
    /// </summary>
    /// <exception cref="ArgumentException">A link or control-group member is not among <paramref name="badgeIds"/>, or a score is not finite.</exception>
    public async Task<GraphWriteStats> StoreRecommendationsAsync(IReadOnlyList<string> badgeIds, IReadOnlyList<RecommendationLink> links, IReadOnlyCollection<string> controlGroup,
        DateTimeOffset generatedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(badgeIds);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(controlGroup);
        var given = new HashSet<string>(badgeIds, StringComparer.Ordinal);
        var controlSet = new HashSet<string>(controlGroup, StringComparer.Ordinal);
        // Links outside the replaced set would be added without replacing anything: a caller bug, refused before writing.
        for (var i = 0; i < links.Count; i++)
        {
            if (!given.Contains(links[i].BadgeId))
                throw new ArgumentException($"links[{i}]: visitor '{links[i].BadgeId}' is not among the badge ids whose recommendations are replaced", nameof(links));
            if (!double.IsFinite(links[i].SimilarityScore))
                throw new ArgumentException($"links[{i}]: similarity score {links[i].SimilarityScore} is not a finite number", nameof(links));
        }
        foreach (var member in controlSet)
            if (!given.Contains(member))
                throw new ArgumentException($"control-group visitor '{member}' is not among the badge ids whose recommendations are replaced", nameof(controlGroup));
        // Refused as before, when binding the null key to the lookup failed the write.
        if (given.Contains(null!))
            throw new InvalidOperationException("A badge id whose recommendations are replaced is null.");

        using var _ = Exclusive();
        // Every row id the write references is read inside its transaction (see WithoutForeignKeyChecksAsync).
        return await WithoutForeignKeyChecksAsync(async () =>
        {
            await using var transaction = BeginWrite();
            var stats = ReplaceRecommendations(given, links, controlSet, generatedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return stats;
        });
    }

    /// <summary>
    /// The write of <see cref="StoreRecommendationsAsync"/>, shaped for 500k links: native prepared statements (see
    /// <see cref="NativeStatement"/>), one lookup per distinct key, each visitor's old links deleted and flags set in one
    /// pass (and only when needed), and its new links deduplicated in memory and inserted in primary-key order, many rows
    /// per statement.
    /// </summary>
    // Runs once per step 4 over every link: compiled optimized at once rather than first in the slow JIT tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private GraphWriteStats ReplaceRecommendations(HashSet<string> given, IReadOnlyList<RecommendationLink> links, HashSet<string> controlSet,
        DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        // Each link's session (row id) and visitor (index in badges); a link to a missing session is skipped.
        var badges = given.ToArray();
        var badgeIndex = new Dictionary<string, int>(badges.Length, StringComparer.Ordinal);
        for (var b = 0; b < badges.Length; b++) badgeIndex[badges[b]] = b;
        var linkBadge = new int[links.Count];
        var linkSession = new long[links.Count];
        var bucketStart = new int[badges.Length + 1];
        // Session id to an index in sessionRowIds, or -1 when missing (int values: generic code the runtime ships precompiled).
        var sessionSlots = new Dictionary<string, int>(StringComparer.Ordinal);
        var sessionRowIds = new List<long>();
        long skipped = 0;
        using (var findSession = NativeStatement.Prepare(_connection, "SELECT id FROM sessions WHERE show = ?1 AND label = ?2 AND session_id = ?3"))
        {
            findSession.Bind(1, Show).Bind(2, GraphLabels.SessionsThisYear);
            for (var i = 0; i < links.Count; i++)
            {
                var link = links[i];
                var sessionId = link.SessionId ?? "";
                if (!sessionSlots.TryGetValue(sessionId, out var slot))
                {
                    slot = -1;
                    if (findSession.Bind(3, sessionId).QueryInt64() is { } row)
                    {
                        slot = sessionRowIds.Count;
                        sessionRowIds.Add(row);
                    }
                    sessionSlots[sessionId] = slot;
                }
                if (slot < 0)
                {
                    (linkBadge[i], skipped) = (-1, skipped + 1);
                    continue;
                }
                var badge = badgeIndex[link.BadgeId];
                (linkBadge[i], linkSession[i]) = (badge, sessionRowIds[slot]);
                bucketStart[badge + 1]++;
            }
        }

        // Each visitor: its old links deleted and its flags set, right where its row is read (both only when needed).
        var visitors = new List<(long Id, int Badge)>(badges.Length);
        long deleted = 0;
        using (var findVisitor = NativeStatement.Prepare(_connection, """
            SELECT v.id, v.has_recommendation, v.control_group, EXISTS (SELECT 1 FROM is_recommended r WHERE r.visitor = v.id)
            FROM visitors v WHERE v.show = ?1 AND v.label = ?2 AND v.badge_id = ?3
            """))
        using (var unlink = NativeStatement.Prepare(_connection, "DELETE FROM is_recommended WHERE visitor = ?1"))
        using (var flag = NativeStatement.Prepare(_connection, "UPDATE visitors SET has_recommendation = ?1, control_group = ?2 WHERE id = ?3"))
        {
            findVisitor.Bind(1, Show).Bind(2, GraphLabels.VisitorThisYear);
            Span<long> row = stackalloc long[4];
            for (var b = 0; b < badges.Length; b++)
            {
                if (b % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
                var linked = bucketStart[b + 1];
                if (!findVisitor.Bind(3, badges[b]).QueryRow(row))
                {
                    skipped += linked;
                    continue;
                }
                var (id, has, control) = (row[0], linked > 0 ? 1L : 0L, controlSet.Contains(badges[b]) ? 1L : 0L);
                if (row[3] != 0) deleted += unlink.Bind(1, id).Execute();
                // A visitor's row holds all its properties: rewritten only when a flag changes (the result is the same).
                if (row[1] != has || row[2] != control) flag.Bind(1, has).Bind(2, control).Bind(3, id).Execute();
                if (linked > 0) visitors.Add((id, b));
            }
        }

        // Links grouped by visitor (a counting sort, keeping input order within a visitor), visitors in row-id order, so
        // that links go in in the primary key's order.
        for (var b = 0; b < badges.Length; b++) bucketStart[b + 1] += bucketStart[b];
        var grouped = new int[bucketStart[badges.Length]];
        var next = bucketStart[..badges.Length];
        for (var i = 0; i < links.Count; i++)
            if (linkBadge[i] >= 0) grouped[next[linkBadge[i]]++] = i;
        visitors.Sort((x, y) => x.Id.CompareTo(y.Id));

        long created = 0, updated = 0;
        using (var insert = new RecommendationInserter(_connection, Show, generatedAt))
        {
            for (var v = 0; v < visitors.Count; v++)
            {
                if (v % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
                // A visitor's links by (session, position): a duplicate (visitor, session) overwrites the earlier one,
                // so the last of each run of equal sessions is written, and the others count as Updated.
                var (id, badge) = visitors[v];
                var (start, end) = (bucketStart[badge], bucketStart[badge + 1]);
                SortBySessionThenPosition(grouped, start, end, linkSession);
                for (var j = start; j < end; j++)
                {
                    var link = grouped[j];
                    if (j + 1 < end && linkSession[grouped[j + 1]] == linkSession[link]) { updated++; continue; }
                    insert.Add(id, linkSession[link], links[link].SimilarityScore);
                    created++;
                }
            }
            insert.Flush();
        }
        return new GraphWriteStats(created, updated, skipped, deleted);
    }

    /// <summary>Sorts link positions <c>grouped[start..end)</c> by (session row id, position).</summary>
    private static void SortBySessionThenPosition(int[] grouped, int start, int end, long[] linkSession)
    {
        if (end - start > 16)
        {
            Array.Sort(grouped, start, end - start, Comparer<int>.Create((a, b) => linkSession[a] != linkSession[b] ? linkSession[a].CompareTo(linkSession[b]) : a.CompareTo(b)));
            return;
        }
        // Usually about ten links: an insertion sort, without a comparer's calls.
        for (var j = start + 1; j < end; j++)
        {
            var link = grouped[j];
            var k = j - 1;
            for (; k >= start && (linkSession[grouped[k]] > linkSession[link] || (linkSession[grouped[k]] == linkSession[link] && grouped[k] > link)); k--)
                grouped[k + 1] = grouped[k];
            grouped[k + 1] = link;
        }
    }

    /// <summary>Inserts IS_RECOMMENDED rows known not to exist (their visitors' links were just deleted, duplicates
    /// dropped), <see cref="Chunk"/> rows per statement.</summary>
    private sealed class RecommendationInserter : IDisposable
    {
        /// <summary>Amortises each statement's start-up while staying far below SQLite's limit of parameters.</summary>
        private const int Chunk = 128;

        private readonly SqliteConnection _connection;
        private readonly string _show;
        private readonly string _generatedAt;
        private readonly NativeStatement _full;
        private readonly long[] _visitors = new long[Chunk];
        private readonly long[] _sessions = new long[Chunk];
        private readonly double[] _scores = new double[Chunk];
        private int _count;

        public RecommendationInserter(SqliteConnection connection, string show, DateTimeOffset generatedAt)
        {
            (_connection, _show, _generatedAt) = (connection, show, generatedAt.ToString("O", CultureInfo.InvariantCulture));
            _full = Prepare(Chunk);
        }

        public void Add(long visitor, long session, double score)
        {
            (_visitors[_count], _sessions[_count], _scores[_count]) = (visitor, session, score);
            if (++_count == Chunk) Write(_full);
        }

        /// <summary>Writes the last, shorter chunk; without it those rows are dropped.</summary>
        public void Flush()
        {
            if (_count == 0) return;
            using var last = Prepare(_count);
            Write(last);
        }

        public void Dispose() => _full.Dispose();

        private void Write(NativeStatement insert)
        {
            for (var i = 0; i < _count; i++)
                insert.Bind(3 + 3 * i, _visitors[i]).Bind(4 + 3 * i, _sessions[i]).Bind(5 + 3 * i, _scores[i]);
            insert.Execute();
            _count = 0;
        }

        // OR FAIL, not the default ABORT: SQLite then needs no statement journal to undo a partly done multi-row
        // statement (a failure fails the whole write anyway, and its transaction is rolled back).
        private NativeStatement Prepare(int rows)
        {
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(?1, ?{3 + 3 * i}, ?{4 + 3 * i}, ?{5 + 3 * i}, ?2)"));
            var insert = NativeStatement.Prepare(_connection, $"INSERT OR FAIL INTO is_recommended (show, visitor, session, similarity_score, generated_at) VALUES {values}");
            return insert.Bind(1, _show).Bind(2, _generatedAt);
        }
    }

    public async Task<IReadOnlyList<RecommendationLink>> ReadRecommendationsAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        await using var read = Command("""
            SELECT v.badge_id, s.session_id, r.similarity_score
            FROM is_recommended r JOIN visitors v ON v.id = r.visitor JOIN sessions s ON s.id = r.session
            WHERE r.show = $show
            ORDER BY v.badge_id, s.session_id
            """);
        return await ReadAllAsync(read, r => new RecommendationLink(r.GetString(0), r.GetString(1), r.GetDouble(2)), cancellationToken);
    }

    // ---------------------------------------------------------------- counts

    public async Task<GraphCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Exclusive();
        // Every label and type of this identity is listed, with 0 when absent, so reports have a stable shape.
        var nodes = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [VisitorLabel(VisitorKind.ThisYear)] = 0, [VisitorLabel(VisitorKind.PastMain)] = 0, [VisitorLabel(VisitorKind.PastSecondary)] = 0,
            [GraphLabels.SessionsThisYear] = 0, [GraphLabels.SessionsPastYear] = 0, [GraphLabels.Stream] = 0,
        };
        var relationships = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [GraphLabels.HasStream] = 0, [GraphLabels.JobToStream] = 0, [GraphLabels.SpecialisationToStream] = 0,
            [GraphLabels.SameVisitor] = 0, [GraphLabels.AttendedSession] = 0, [GraphLabels.IsRecommended] = 0,
        };
        await using var count = Command("""
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

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _connection.DisposeAsync();
    }

    // ---------------------------------------------------------------- helpers

    private string VisitorLabel(VisitorKind kind) => GraphLabels.Visitor(kind, _identity.MainEventName, _identity.SecondaryEventName);

    /// <summary>BEGIN IMMEDIATE: takes the write lock up front, so a writer waits (busy_timeout) instead of failing when
    /// another instance committed between its read and its write.</summary>
    private SqliteTransaction BeginWrite() => _connection.BeginTransaction(deferred: false);

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$show", Show);
        return command;
    }

    private static void PrepareAll(params ReadOnlySpan<SqliteCommand> commands)
    {
        foreach (var command in commands) command.Prepare();
    }

    private static async Task<(long Id, string Text)?> ReadIdAndTextAsync(SqliteCommand find, CancellationToken cancellationToken)
    {
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(map(reader));
        return items;
    }

    private async Task<Dictionary<string, long>> StreamIdsAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var read = Command("SELECT stream_key, id FROM streams WHERE show = $show", transaction);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            ids[reader.GetString(0)] = reader.GetInt64(1);
        return ids;
    }

    /// <summary>The reference's create_missing_streams: a session's stream with no node gets one, described by its name.</summary>
    private async Task<long> StreamIdCreatingMissingAsync(Dictionary<string, long> streamIds, string stream, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var key = StreamKey(stream);
        if (streamIds.TryGetValue(key, out var id)) return id;
        await using var insert = Command("INSERT INTO streams (show, stream_key, stream, description) VALUES ($show, $key, $stream, $stream) RETURNING id", transaction);
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$stream", stream);
        id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        streamIds[key] = id;
        return id;
    }

    private static void RequireKeys<T>(IReadOnlyList<T> items, Func<T, string?> key, string keyName, string parameterName)
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i] is null || string.IsNullOrWhiteSpace(key(items[i])))
                throw new ArgumentException($"{parameterName}[{i}]: the key {keyName} is blank; every node needs one", parameterName);
    }

    /// <summary>
    /// Runs <paramref name="write"/> (which opens and ends its own transaction) with foreign-key enforcement off on this
    /// connection. Only for writes that read every row id they reference inside their transaction, which holds the write
    /// lock from its start, so no check could fail: with enforcement on, SQLite journals every multi-row statement to be
    /// able to undo it, which costs more than the write. Enforcement is always restored; if that cannot be confirmed the
    /// instance is closed, as later writes rely on it (ON DELETE CASCADE).
    /// </summary>
    private async Task<T> WithoutForeignKeyChecksAsync<T>(Func<Task<T>> write)
    {
        SetForeignKeys(false);
        T result;
        try
        {
            result = await write();
        }
        catch
        {
            RestoreForeignKeysOrClose();
            throw;
        }
        if (!RestoreForeignKeysOrClose())
            throw new InvalidOperationException($"{DatabasePath}: foreign-key enforcement could not be turned back on after a write, so this graph instance was closed; open a new one.");
        return result;
    }

    private bool RestoreForeignKeysOrClose()
    {
        try
        {
            // A no-op inside a transaction (if a rollback failed), hence the read-back.
            SetForeignKeys(true);
            using var check = _connection.CreateCommand();
            check.CommandText = "PRAGMA foreign_keys";
            if (check.ExecuteScalar() is 1L) return true;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
        }
        _disposed = true;
        _connection.Dispose();
        return false;
    }

    private void SetForeignKeys(bool on)
    {
        using var pragma = _connection.CreateCommand();
        pragma.CommandText = on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF";
        pragma.ExecuteNonQuery();
    }

    /// <summary>
    /// A prepared statement run through SQLite's C API on the graph's connection (inside its current transaction), with
    /// parameters bound by position. For statements run hundreds of thousands of times: Microsoft.Data.Sqlite's own
    /// overhead per execution (parameters looked up by name, a reader per query) is several times SQLite's work for a one-row statement.
    /// </summary>
    private sealed class NativeStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        private NativeStatement(sqlite3 db, sqlite3_stmt statement) => (_db, _statement) = (db, statement);

        public static NativeStatement Prepare(SqliteConnection connection, string sql)
        {
            var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
            Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
            return new NativeStatement(db, statement);
        }

        public NativeStatement Bind(int index, string value)
        {
            Check(raw.sqlite3_bind_text(_statement, index, value), _db);
            return this;
        }

        public NativeStatement Bind(int index, long value)
        {
            Check(raw.sqlite3_bind_int64(_statement, index, value), _db);
            return this;
        }

        public NativeStatement Bind(int index, double value)
        {
            Check(raw.sqlite3_bind_double(_statement, index, value), _db);
            return this;
        }

        /// <summary>Runs a write; returns the rows it changed.</summary>
        public int Execute()
        {
            try
            {
                var rc = raw.sqlite3_step(_statement);
                if (rc != raw.SQLITE_DONE) Check(rc, _db);
                return raw.sqlite3_changes(_db);
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        /// <summary>Runs a query; returns its first row's first column, or null when it has no row.</summary>
        public long? QueryInt64()
        {
            Span<long> row = stackalloc long[1];
            return QueryRow(row) ? row[0] : null;
        }

        /// <summary>Runs a query; reads its first row's first columns into <paramref name="row"/>, or returns false when it has no row.</summary>
        public bool QueryRow(Span<long> row)
        {
            try
            {
                var rc = raw.sqlite3_step(_statement);
                if (rc == raw.SQLITE_ROW)
                {
                    for (var i = 0; i < row.Length; i++) row[i] = raw.sqlite3_column_int64(_statement, i);
                    return true;
                }
                if (rc != raw.SQLITE_DONE) Check(rc, _db);
                return false;
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public void Dispose() => _statement.Dispose();

        private static void Check(int rc, sqlite3 db)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private ExclusiveUse Exclusive()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0)
            throw new InvalidOperationException("This graph instance is already running an operation: an instance is not for concurrent use; open one per concurrent worker from the factory.");
        return new ExclusiveUse(this);
    }

    private readonly struct ExclusiveUse(SqliteAgendaGraph graph) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref graph._inUse, 0);
    }
}
