using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Neo4j.Driver;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using static PipelineFunctions.Core.Graph.GraphNormalisation;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace PipelineFunctions.Neo4j;

/// <summary>
/// The agenda graph in Neo4j 5, running Infrastructure's <see cref="Neo4jCypher"/> statements through Neo4j.Driver
/// managed transactions: uniqueness constraints first, rows sent as <c>UNWIND $rows</c> batches of at most
/// <see cref="Neo4jCypher.MaxBatchSize"/> (one transaction each: keyed MERGEs, so a retried batch writes nothing twice).
/// Semantics (counts, duplicates, null properties, stream keys) follow the embedded SQLite adapter, as
/// <see cref="Neo4jCypher"/> states; stream names, stream keys and duplicate keys are normalised by Core's
/// <see cref="GraphNormalisation"/>, as there.
/// <para>
/// One retry layer: the driver's own, which reruns a transaction that failed transiently (leader switch, deadlock,
/// lost connection) for up to the configured max retry time, then throws. Nothing here retries around it; the
/// activity's retry policy decides whether the whole activity runs again (its writes are MERGEs or replaces).
/// </para>
/// <para>
/// Every port operation runs in one session on the configured database (so no home-database lookup per session), and
/// every session of the factory's driver shares one bookmark manager, so on a cluster a read sees the writes made
/// before it in this process. Managed transactions take no cancellation token: the token is checked before each
/// transaction and each attempt, and between batches.
/// </para>
/// </summary>
public sealed class Neo4jAgendaGraph : IAgendaGraph
{
    private readonly IDriver _driver;
    private readonly string _database;
    private readonly IBookmarkManager _bookmarks;
    private readonly GraphIdentity _identity;
    private readonly Neo4jGraphStatements _cypher;
    private readonly ILogger _logger;

    internal Neo4jAgendaGraph(IDriver driver, string database, IBookmarkManager bookmarks, GraphIdentity identity, ILogger logger)
    {
        _driver = driver;
        _database = database;
        _bookmarks = bookmarks;
        _identity = identity;
        _cypher = Neo4jCypher.For(identity);
        _logger = logger;
    }

    public string Show => _identity.Show;

    /// <summary>The driver is shared by every graph of the same server (the factory owns it): nothing to release here.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        // Schema statements may not share a transaction with data writes: one each.
        await using var session = OpenSession();
        foreach (var constraint in _cypher.Constraints)
            await WriteAsync(session, constraint, Parameters(), cancellationToken);
    }

    // ---------------------------------------------------------------- nodes

    public async Task<GraphWriteStats> UpsertVisitorsAsync(VisitorKind kind, IReadOnlyList<VisitorNode> visitors, GraphWriteMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitors);
        var rows = LastPerKey(visitors, v => RequireKey(v.BadgeId, nameof(VisitorNode.BadgeId)))
            .Select(v => Row(("key", v.BadgeId), ("properties", Properties(v.Properties)))).ToList();
        await using var session = OpenSession();
        var (created, updated) = await WriteBatchesAsync(session, _cypher.UpsertVisitors(kind, mode), rows, cancellationToken);
        return new GraphWriteStats(created, updated, visitors.Count - created - updated);
    }

    public async Task<GraphWriteStats> UpsertSessionsAsync(SessionYear year, IReadOnlyList<SessionNode> sessions, GraphWriteMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var rows = LastPerKey(sessions, s => RequireKey(s.SessionId, nameof(SessionNode.SessionId)))
            .Select(s => Row(("key", s.SessionId), ("streams", CleanStreams(s.Streams)), ("properties", Properties(s.Properties)))).ToList();

        await using var session = OpenSession();
        long deleted = 0;
        if (year == SessionYear.ThisYear && mode == GraphWriteMode.Full)
        {
            // This year's sessions are replaced: their recommendations go with them, so the visitors' flags first.
            await WriteAsync(session, _cypher.ClearRecommendationFlags, Parameters(), cancellationToken);
            for (long removed; (removed = Single(await WriteAsync(session, _cypher.DeleteThisYearSessions,
                Parameters(("limit", (long)Neo4jCypher.MaxBatchSize)), cancellationToken), "deleted")) > 0;)
                deleted += removed;
        }
        var (created, updated) = await WriteBatchesAsync(session, _cypher.UpsertSessions(year, mode), rows, cancellationToken);
        await WriteBatchesAsync(session, _cypher.LinkSessionStreams(year), rows.Select(r => Row(("key", r["key"]))).ToList(), cancellationToken);
        return new GraphWriteStats(created, updated, sessions.Count - created - updated, deleted);
    }

    public async Task<GraphWriteStats> UpsertStreamsAsync(IReadOnlyList<StreamNode> streams, GraphWriteMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var rows = LastPerKey(streams, s => StreamKey(RequireKey(s.Stream, nameof(StreamNode.Stream))))
            .Select(s => Row(("key", StreamKey(s.Stream)), ("stream", s.Stream.Trim()), ("description", s.Description ?? ""))).ToList();
        await using var session = OpenSession();
        var (created, updated) = await WriteBatchesAsync(session, _cypher.UpsertStreams(mode), rows, cancellationToken);
        return new GraphWriteStats(created, updated, streams.Count - created - updated);
    }

    // ---------------------------------------------------------------- relationships

    public async Task<GraphWriteStats> LinkVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        IReadOnlyList<VisitorStreamLink> links, GraphWriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        // No properties: both modes only add what is missing.
        var rows = LastPerKey(links, l => (l.BadgeId ?? "", StreamKey(l.Stream ?? "")))
            .Select(l => Row(("badgeId", l.BadgeId ?? ""), ("streamKey", StreamKey(l.Stream ?? "")))).ToList();
        await using var session = OpenSession();
        var (created, _) = await WriteBatchesAsync(session, _cypher.LinkVisitorStreams(kind, relation), rows, cancellationToken);
        return new GraphWriteStats(created, 0, links.Count - created);
    }

    public async Task<GraphWriteStats> LinkSameVisitorsAsync(IReadOnlyList<SameVisitorLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        for (var i = 0; i < links.Count; i++)
            if (links[i].PastKind == VisitorKind.ThisYear)
                throw new ArgumentException(
                    $"links[{i}]: a Same_Visitor link goes to a past visitor (PastMain or PastSecondary), not {VisitorKind.ThisYear}", nameof(links));
        await using var session = OpenSession();
        long created = 0, updated = 0;
        foreach (var group in LastPerKey(links, l => (l.BadgeId ?? "", l.PastKind, l.PastBadgeId ?? "")).GroupBy(l => l.PastKind))
        {
            var rows = group.Select(l => Row(("badgeId", l.BadgeId ?? ""), ("pastBadgeId", l.PastBadgeId ?? ""), ("type", l.Type ?? ""))).ToList();
            var (c, u) = await WriteBatchesAsync(session, _cypher.LinkSameVisitors(group.Key, mode), rows, cancellationToken);
            (created, updated) = (created + c, updated + u);
        }
        return new GraphWriteStats(created, updated, links.Count - created - updated);
    }

    public async Task<GraphWriteStats> LinkAttendedSessionsAsync(VisitorKind pastKind, IReadOnlyList<AttendanceLink> links, GraphWriteMode mode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (pastKind == VisitorKind.ThisYear)
            throw new ArgumentException($"attended_session links past visitors (PastMain or PastSecondary), not {VisitorKind.ThisYear}",
                nameof(pastKind));
        var rows = LastPerKey(links, l => (l.BadgeId ?? "", l.SessionId ?? ""))
            .Select(l => Row(("badgeId", l.BadgeId ?? ""), ("sessionId", l.SessionId ?? ""), ("properties", new Dictionary<string, object>
            {
                ["scan_date"] = l.ScanDate ?? "", ["file"] = l.File ?? "", ["seminar_name"] = l.SeminarName ?? "",
            }))).ToList();
        await using var session = OpenSession();
        var (created, updated) = await WriteBatchesAsync(session, _cypher.LinkAttendedSessions(pastKind, mode), rows, cancellationToken);
        return new GraphWriteStats(created, updated, links.Count - created - updated);
    }

    // ---------------------------------------------------------------- reads

    public async Task<IReadOnlyList<VisitorNode>> ReadVisitorsAsync(VisitorKind kind, bool onlyWithoutRecommendation = false,
        CancellationToken cancellationToken = default)
    {
        var records = await ReadAsync(_cypher.ReadVisitors(kind), Parameters(("onlyWithoutRecommendation", onlyWithoutRecommendation)),
            cancellationToken);
        return records.Select(r => new VisitorNode(Text(r["badgeId"]), ReadProperties(r["properties"]))
        {
            HasRecommendation = r["hasRecommendation"].As<bool>(),
            ControlGroup = r["controlGroup"].As<bool>(),
        }).ToList();
    }

    public async Task<IReadOnlyList<SessionNode>> ReadSessionsAsync(SessionYear year, CancellationToken cancellationToken = default)
    {
        var records = await ReadAsync(_cypher.ReadSessions(year), Parameters(), cancellationToken);
        return records.Select(r => new SessionNode(Text(r["sessionId"]), List(r["streams"]).Select(Text).ToList(), ReadProperties(r["properties"])))
            .ToList();
    }

    public async Task<IReadOnlyList<StreamNode>> ReadStreamsAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadStreams, Parameters(), cancellationToken))
            .Select(r => new StreamNode(Text(r["stream"]), Text(r["description"]))).ToList();

    public async Task<IReadOnlyList<VisitorStreamLink>> ReadVisitorStreamsAsync(VisitorKind kind, VisitorStreamRelation relation,
        CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadVisitorStreams(kind, relation), Parameters(), cancellationToken))
            .Select(r => new VisitorStreamLink(Text(r["badgeId"]), Text(r["stream"]))).ToList();

    public async Task<IReadOnlyList<SameVisitorLink>> ReadSameVisitorsAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadSameVisitors, Parameters(), cancellationToken))
            .Select(r => new SameVisitorLink(Text(r["badgeId"]), r["pastIsMain"].As<bool>() ? VisitorKind.PastMain : VisitorKind.PastSecondary,
                Text(r["pastBadgeId"]), Text(r["type"]))).ToList();

    public async Task<IReadOnlyList<AttendanceLink>> ReadAttendedSessionsAsync(VisitorKind pastKind, CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadAttendedSessions(pastKind), Parameters(), cancellationToken))
            .Select(r => new AttendanceLink(Text(r["badgeId"]), Text(r["sessionId"]), Text(r["scanDate"]), Text(r["file"]), Text(r["seminarName"])))
            .ToList();

    // ---------------------------------------------------------------- embeddings

    public async Task<IReadOnlyList<EmbeddingStamp>> ReadEmbeddingStampsAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadEmbeddingStamps, Parameters(), cancellationToken))
            .Select(r => new EmbeddingStamp(r["thisYear"].As<bool>() ? SessionYear.ThisYear : SessionYear.Past, Text(r["sessionId"]),
                Text(r["textHash"]), Text(r["model"])))
            .ToList();

    public async Task<GraphWriteStats> StoreEmbeddingsAsync(IReadOnlyList<SessionEmbedding> embeddings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        for (var i = 0; i < embeddings.Count; i++)
            if (embeddings[i].Vector is not { Length: > 0 })
                throw new ArgumentException($"embeddings[{i}] (session '{embeddings[i].SessionId}'): the vector is empty", nameof(embeddings));
        await using var session = OpenSession();
        long created = 0, updated = 0;
        foreach (var year in LastPerKey(embeddings, e => (e.Year, e.SessionId ?? "")).GroupBy(e => e.Year))
        {
            // float32 converts to float64 exactly, so the vector comes back bit for bit.
            var rows = year.Select(e => Row(("key", e.SessionId ?? ""), ("textHash", e.TextHash ?? ""), ("model", e.Model ?? ""),
                ("vector", e.Vector.Select(v => (double)v).ToList()))).ToList();
            var (c, u) = await WriteBatchesAsync(session, _cypher.StoreEmbeddings(year.Key), rows, cancellationToken);
            (created, updated) = (created + c, updated + u);
        }
        return new GraphWriteStats(created, updated, embeddings.Count - created - updated);
    }

    public async Task<IReadOnlyList<SessionEmbedding>> ReadEmbeddingsAsync(SessionYear year, CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadEmbeddings(year), Parameters(), cancellationToken))
            .Select(r => new SessionEmbedding(year, Text(r["sessionId"]), Text(r["textHash"]), Text(r["model"]),
                List(r["vector"]).Select(v => (float)Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray())).ToList();

    // ---------------------------------------------------------------- recommendations

    /// <summary>
    /// Deletes the visitors' IS_RECOMMENDED links, creates the new ones and sets the flags, in one transaction (so a
    /// reader never sees a visitor half replaced); the driver retries the transaction whole, which is safe: it replaces.
    /// </summary>
    public async Task<GraphWriteStats> StoreRecommendationsAsync(IReadOnlyList<string> badgeIds, IReadOnlyList<RecommendationLink> links,
        IReadOnlyCollection<string> controlGroup, DateTimeOffset generatedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(badgeIds);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(controlGroup);
        if (badgeIds.Any(b => b is null)) throw new InvalidOperationException("A badge id whose recommendations are replaced is null.");
        var replacement = RecommendationReplacement.Check(badgeIds, links, controlGroup);
        var (given, control) = (replacement.Visitors, replacement.ControlGroup);

        // A duplicate (visitor, session) overwrites the earlier one and counts as Updated, as in the SQLite adapter.
        var distinct = LastPerKey(links, l => (l.BadgeId, l.SessionId ?? "")).ToList();
        var visitorRows = given.Select(b => Row(("badgeId", b))).ToList();
        var linkRows = distinct.Select(l => Row(("badgeId", l.BadgeId), ("sessionId", l.SessionId ?? ""), ("similarityScore", l.SimilarityScore)))
            .ToList();
        var flagRows = given.Select(b => Row(("badgeId", b), ("controlGroup", control.Contains(b)))).ToList();
        var generated = generatedAt.ToString("O", CultureInfo.InvariantCulture);

        await using var session = OpenSession();
        cancellationToken.ThrowIfCancellationRequested();
        var (deleted, created, updated) = await session.ExecuteWriteAsync(async tx =>
        {
            // RunAsync checks the token before each batch, so a cancelled activity stops there or at the next retry attempt (rolled back).
            long d = 0, c = 0, u = 0;
            foreach (var batch in Neo4jCypher.Batches(visitorRows))
                d += Single(await RunAsync(tx, _cypher.DeleteRecommendations, Parameters(("rows", batch)), cancellationToken), "deleted");
            foreach (var batch in Neo4jCypher.Batches(linkRows))
            {
                var record = (await RunAsync(tx, _cypher.CreateRecommendations, Parameters(("rows", batch), ("generatedAt", generated)),
                    cancellationToken)).Single();
                (c, u) = (c + record["created"].As<long>(), u + record["updated"].As<long>());
            }
            foreach (var batch in Neo4jCypher.Batches(flagRows))
                await RunAsync(tx, _cypher.SetRecommendationFlags, Parameters(("rows", batch)), cancellationToken);
            return (d, c, u);
        });
        var duplicates = links.Count - distinct.Count;
        return new GraphWriteStats(created, updated + duplicates, distinct.Count - created - updated, deleted);
    }

    public async Task<IReadOnlyList<RecommendationLink>> ReadRecommendationsAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(_cypher.ReadRecommendations, Parameters(), cancellationToken))
            .Select(r => new RecommendationLink(Text(r["badgeId"]), Text(r["sessionId"]),
                Convert.ToDouble(r["similarityScore"], CultureInfo.InvariantCulture))).ToList();

    // ---------------------------------------------------------------- counts

    public async Task<GraphCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        // Every label and type of this identity is listed, with 0 when absent, so reports have a stable shape.
        var nodes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var relationships = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var count in _cypher.Counts)
            (count.IsRelationship ? relationships : nodes)[count.Name] = 0;
        await using var session = OpenSession();
        cancellationToken.ThrowIfCancellationRequested();
        var totals = await session.ExecuteReadAsync(async tx =>
        {
            var result = new List<(CypherCount Count, long Total)>();
            foreach (var count in _cypher.Counts)
                result.Add((count, Single(await RunAsync(tx, count.Statement, Parameters(), cancellationToken), "total")));
            return result;
        });
        foreach (var (count, total) in totals)
            (count.IsRelationship ? relationships : nodes)[count.Name] += total;
        return new GraphCounts(nodes, relationships);
    }

    // ---------------------------------------------------------------- plumbing

    /// <summary>A session on the configured database, chained to the driver's other sessions by the shared bookmark manager.</summary>
    private IAsyncSession OpenSession() => _driver.AsyncSession(session => session.WithDatabase(_database).WithBookmarkManager(_bookmarks));

    /// <summary>Runs a row statement batch by batch, one managed write transaction each; the created and updated counts summed.</summary>
    private async Task<(long Created, long Updated)> WriteBatchesAsync(IAsyncSession session, CypherStatement statement,
        IReadOnlyList<Dictionary<string, object>> rows, CancellationToken cancellationToken)
    {
        long created = 0, updated = 0;
        foreach (var batch in Neo4jCypher.Batches(rows))
        {
            var records = await WriteAsync(session, statement, Parameters(("rows", batch)), cancellationToken);
            if (records.Count == 0) continue; // statements without RETURN (stream links)
            var record = records[0];
            if (record.Keys.Contains("created")) created += record["created"].As<long>();
            if (record.Keys.Contains("updated")) updated += record["updated"].As<long>();
        }
        if (rows.Count > 0)
            _logger.LogDebug("{Statement}: {Rows} rows, {Created} created, {Updated} updated", statement.Name, rows.Count, created, updated);
        return (created, updated);
    }

    /// <summary>One statement in one managed write transaction of the given session (retried by the driver when transient).</summary>
    private static Task<IReadOnlyList<IRecord>> WriteAsync(IAsyncSession session, CypherStatement statement, Dictionary<string, object> parameters,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return session.ExecuteWriteAsync(tx => RunAsync(tx, statement, parameters, cancellationToken));
    }

    /// <summary>One read statement in its own session and managed read transaction.</summary>
    private async Task<IReadOnlyList<IRecord>> ReadAsync(CypherStatement statement, Dictionary<string, object> parameters,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var session = OpenSession();
        return await session.ExecuteReadAsync(tx => RunAsync(tx, statement, parameters, cancellationToken));
    }

    /// <summary>Runs the statement and reads all its records inside the transaction (a managed transaction's results do not
    /// outlive it). The token is checked first, so a retry attempt after cancellation stops at once.</summary>
    private static async Task<IReadOnlyList<IRecord>> RunAsync(IAsyncQueryRunner tx, CypherStatement statement, Dictionary<string, object> parameters,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var cursor = await tx.RunAsync(statement.Text, parameters);
        return await cursor.ToListAsync(cancellationToken);
    }

    /// <summary>$show, plus the given parameters.</summary>
    private Dictionary<string, object> Parameters(params (string Name, object Value)[] parameters)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal) { ["show"] = Show };
        foreach (var (name, value) in parameters) result[name] = value;
        return result;
    }

    private static Dictionary<string, object> Row(params (string Name, object Value)[] values)
    {
        var row = new Dictionary<string, object>(values.Length, StringComparer.Ordinal);
        foreach (var (name, value) in values) row[name] = value;
        return row;
    }

    private static long Single(IReadOnlyList<IRecord> records, string column) => records.Count == 0 ? 0 : records[0][column].As<long>();

    private static string RequireKey(string? key, string name) =>
        string.IsNullOrEmpty(key) ? throw new ArgumentException($"a {name} is null or empty: every node needs its key") : key;

    /// <summary>Step-1 columns as a string map: null becomes "" (setting null would remove the property); the graph's own keys are refused.</summary>
    private static Dictionary<string, object> Properties(IReadOnlyDictionary<string, string>? properties)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        if (properties is null) return result;
        foreach (var (key, value) in properties)
        {
            if (!Neo4jCypher.IsIdentifier(key))
                throw new ArgumentException(
                    $"property '{key}' cannot be a Neo4j property name: use letters, digits and '_' only, not starting with a digit");
            if (Neo4jCypher.ReservedProperties.Contains(key))
                throw new ArgumentException($"property '{key}' is one the graph itself uses; rename the column");
            result[key] = value ?? "";
        }
        return result;
    }

    /// <summary>A returned property map, reserved keys (returned as null) dropped, keys in ordinal order.</summary>
    private static IReadOnlyDictionary<string, string> ReadProperties(object? value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is not IDictionary<string, object> map) return result;
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
            if (map[key] is { } item)
                result[key] = Text(item);
        return result;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static IEnumerable<object> List(object? value) => value is IEnumerable items and not string ? items.Cast<object>() : [];
}
