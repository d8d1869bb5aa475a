using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Every statement of the agenda graph for one <see cref="GraphIdentity"/>, in the order a port operation runs them.
/// Row shapes are given per statement; <c>$show</c> is the identity's show in every statement.
/// </summary>
public sealed class Neo4jGraphStatements
{
    private readonly GraphIdentity _identity;
    private readonly string _visitorThisYear, _sessionsThisYear, _sessionsPast, _stream;

    internal Neo4jGraphStatements(GraphIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        if (string.IsNullOrEmpty(identity.MainEventName) || string.IsNullOrEmpty(identity.SecondaryEventName))
            throw new ArgumentException("the main and secondary event names must not be empty: they name the past-visitor labels", nameof(identity));
        foreach (var kind in Enum.GetValues<VisitorKind>()) Neo4jCypher.Quote(VisitorLabel(kind));
        if (VisitorLabel(VisitorKind.PastMain) == VisitorLabel(VisitorKind.PastSecondary))
            throw new ArgumentException("the main and secondary event names must differ: they name separate visitor labels", nameof(identity));
        _visitorThisYear = Neo4jCypher.Quote(GraphLabels.VisitorThisYear);
        _sessionsThisYear = Neo4jCypher.Quote(GraphLabels.SessionsThisYear);
        _sessionsPast = Neo4jCypher.Quote(GraphLabels.SessionsPastYear);
        _stream = Neo4jCypher.Quote(GraphLabels.Stream);
    }

    public GraphIdentity Identity => _identity;

    public string VisitorLabel(VisitorKind kind) => GraphLabels.Visitor(kind, _identity.MainEventName, _identity.SecondaryEventName);

    /// <summary>Every node label of this identity with its key property.</summary>
    public IReadOnlyList<(string Label, string Key)> NodeKeys =>
    [
        (VisitorLabel(VisitorKind.ThisYear), "BadgeId"), (VisitorLabel(VisitorKind.PastMain), "BadgeId"),
        (VisitorLabel(VisitorKind.PastSecondary), "BadgeId"),
        (GraphLabels.SessionsThisYear, "session_id"), (GraphLabels.SessionsPastYear, "session_id"), (GraphLabels.Stream, "stream_key"),
    ];

    // ------------------------------------------------------------------ schema

    /// <summary>One uniqueness constraint per node label on (key, show). Streams are unique by their lower-cased key
    /// <c>stream_key</c>, not the display name <c>stream</c>, so "Surgery" and "surgery" are one node.</summary>
    public IReadOnlyList<CypherStatement> Constraints =>
        NodeKeys.Select(n => new CypherStatement($"constraint {n.Label}",
            $"CREATE CONSTRAINT {Neo4jCypher.Quote(n.Label + "_key")} IF NOT EXISTS FOR (n:{Neo4jCypher.Quote(n.Label)}) " +
            $"REQUIRE (n.{Neo4jCypher.Quote(n.Key)}, n.`show`) IS UNIQUE"))
        .ToArray();

    // ------------------------------------------------------------------ nodes

    /// <summary>Rows <c>{key, properties}</c>. New visitors start with has_recommendation and control_group false.</summary>
    public CypherStatement UpsertVisitors(VisitorKind kind, GraphWriteMode mode)
    {
        var label = Neo4jCypher.Quote(VisitorLabel(kind));
        return mode == GraphWriteMode.Full
            ? new($"upsert {VisitorLabel(kind)} full", $$"""
                UNWIND $rows AS row
                OPTIONAL MATCH (existing:{{label}} {`BadgeId`: row.key, `show`: $show})
                WITH row, existing IS NULL AS created,
                     existing IS NOT NULL AND any(k IN keys(row.properties) WHERE coalesce(existing[k] <> row.properties[k], true)) AS changed
                MERGE (n:{{label}} {`BadgeId`: row.key, `show`: $show})
                ON CREATE SET n.`has_recommendation` = false, n.`control_group` = false
                FOREACH (ignored IN CASE WHEN created OR changed THEN [true] ELSE [] END | SET n += row.properties)
                RETURN count(CASE WHEN created THEN n END) AS created, count(CASE WHEN changed THEN n END) AS updated
                """)
            : new($"upsert {VisitorLabel(kind)} incremental", $$"""
                UNWIND $rows AS row
                OPTIONAL MATCH (existing:{{label}} {`BadgeId`: row.key, `show`: $show})
                WITH row, existing IS NULL AS created
                MERGE (n:{{label}} {`BadgeId`: row.key, `show`: $show})
                ON CREATE SET n += row.properties, n.`has_recommendation` = false, n.`control_group` = false
                RETURN count(CASE WHEN created THEN n END) AS created
                """);
    }

    /// <summary>Full mode for this year's sessions, first: their recommendations go with them, so the visitors' flags are cleared.</summary>
    public CypherStatement ClearRecommendationFlags => new("clear recommendation flags", $$"""
        MATCH (v:{{_visitorThisYear}} {`show`: $show})
        WHERE v.`has_recommendation` OR v.`control_group`
        SET v.`has_recommendation` = false, v.`control_group` = false
        RETURN count(v) AS updated
        """);

    /// <summary>Full mode for this year's sessions, second: deletes up to <c>$limit</c> sessions with their relationships
    /// (HAS_STREAM, IS_RECOMMENDED) and embeddings; run it until it returns deleted = 0, to keep each transaction small.</summary>
    public CypherStatement DeleteThisYearSessions => new("delete this year's sessions", $$"""
        MATCH (s:{{_sessionsThisYear}} {`show`: $show})
        WITH s LIMIT $limit
        DETACH DELETE s
        RETURN count(*) AS deleted
        """);

    /// <summary>Rows <c>{key, streams, properties}</c> (streams: trimmed, non-blank names).
    /// Then run <see cref="LinkSessionStreams"/> with the same rows.</summary>
    public CypherStatement UpsertSessions(SessionYear year, GraphWriteMode mode)
    {
        var label = Neo4jCypher.Quote(GraphLabels.Session(year));
        return mode == GraphWriteMode.Full
            ? new($"upsert {GraphLabels.Session(year)} full", $$"""
                UNWIND $rows AS row
                OPTIONAL MATCH (existing:{{label}} {`session_id`: row.key, `show`: $show})
                WITH row, existing IS NULL AS created,
                     existing IS NOT NULL AND (coalesce(existing.`streams` <> row.streams, true)
                         OR any(k IN keys(row.properties) WHERE coalesce(existing[k] <> row.properties[k], true))) AS changed
                MERGE (s:{{label}} {`session_id`: row.key, `show`: $show})
                FOREACH (ignored IN CASE WHEN created OR changed THEN [true] ELSE [] END | SET s += row.properties, s.`streams` = row.streams)
                RETURN count(CASE WHEN created THEN s END) AS created, count(CASE WHEN changed THEN s END) AS updated
                """)
            : new($"upsert {GraphLabels.Session(year)} incremental", $$"""
                UNWIND $rows AS row
                OPTIONAL MATCH (existing:{{label}} {`session_id`: row.key, `show`: $show})
                WITH row, existing IS NULL AS created
                MERGE (s:{{label}} {`session_id`: row.key, `show`: $show})
                ON CREATE SET s += row.properties, s.`streams` = row.streams
                RETURN count(CASE WHEN created THEN s END) AS created
                """);
    }

    /// <summary>Rows <c>{key}</c>: makes each session's HAS_STREAM links match its stored <c>streams</c> (removing links
    /// to streams it no longer lists), creating a missing stream node described by its name (create_missing_streams).</summary>
    public CypherStatement LinkSessionStreams(SessionYear year)
    {
        var label = Neo4jCypher.Quote(GraphLabels.Session(year));
        return new($"link {GraphLabels.Session(year)} streams", $$"""
            UNWIND $rows AS row
            MATCH (s:{{label}} {`session_id`: row.key, `show`: $show})
            OPTIONAL MATCH (s)-[old:`HAS_STREAM`]->(linked:{{_stream}})
            WHERE NOT linked.`stream_key` IN [name IN coalesce(s.`streams`, []) | toLower(name)]
            DELETE old
            WITH DISTINCT s
            UNWIND coalesce(s.`streams`, []) AS name
            MERGE (st:{{_stream}} {`stream_key`: toLower(name), `show`: $show})
            ON CREATE SET st.`stream` = name, st.`description` = name
            MERGE (s)-[:`HAS_STREAM`]->(st)
            """);
    }

    /// <summary>Rows <c>{key, stream, description}</c>; key = the lower-cased trimmed name.</summary>
    public CypherStatement UpsertStreams(GraphWriteMode mode) => mode == GraphWriteMode.Full
        ? new("upsert Stream full", $$"""
            UNWIND $rows AS row
            OPTIONAL MATCH (existing:{{_stream}} {`stream_key`: row.key, `show`: $show})
            WITH row, existing IS NULL AS created,
                 existing IS NOT NULL AND (coalesce(existing.`stream` <> row.stream, true)
            """ + $$"""
             OR coalesce(existing.`description` <> row.description, true)) AS changed
            MERGE (st:{{_stream}} {`stream_key`: row.key, `show`: $show})
            FOREACH (ignored IN CASE WHEN created OR changed THEN [true] ELSE [] END |
            """ + """
             SET st.`stream` = row.stream, st.`description` = row.description)
            RETURN count(CASE WHEN created THEN st END) AS created, count(CASE WHEN changed THEN st END) AS updated
            """)
        : new("upsert Stream incremental", $$"""
            UNWIND $rows AS row
            OPTIONAL MATCH (existing:{{_stream}} {`stream_key`: row.key, `show`: $show})
            WITH row, existing IS NULL AS created
            MERGE (st:{{_stream}} {`stream_key`: row.key, `show`: $show})
            ON CREATE SET st.`stream` = row.stream, st.`description` = row.description
            RETURN count(CASE WHEN created THEN st END) AS created
            """);

    // ------------------------------------------------------------------ relationships

    /// <summary>Rows <c>{badgeId, streamKey}</c>. No properties, so both modes only add missing links.</summary>
    public CypherStatement LinkVisitorStreams(VisitorKind kind, VisitorStreamRelation relation)
    {
        var label = Neo4jCypher.Quote(VisitorLabel(kind));
        var type = Neo4jCypher.Quote(GraphLabels.Relation(relation));
        return new($"link {VisitorLabel(kind)} {GraphLabels.Relation(relation)}", $$"""
            UNWIND $rows AS row
            MATCH (v:{{label}} {`BadgeId`: row.badgeId, `show`: $show})
            MATCH (st:{{_stream}} {`stream_key`: row.streamKey, `show`: $show})
            OPTIONAL MATCH (v)-[existing:{{type}}]->(st)
            WITH v, st, existing IS NULL AS created
            MERGE (v)-[:{{type}}]->(st)
            RETURN count(CASE WHEN created THEN v END) AS created
            """);
    }

    /// <summary>Rows <c>{badgeId, pastBadgeId, type}</c>, one statement per past kind.</summary>
    public CypherStatement LinkSameVisitors(VisitorKind pastKind, GraphWriteMode mode)
    {
        var past = Neo4jCypher.Quote(PastVisitorLabel(pastKind));
        var head = $$"""
            UNWIND $rows AS row
            MATCH (v:{{_visitorThisYear}} {`BadgeId`: row.badgeId, `show`: $show})
            MATCH (p:{{past}} {`BadgeId`: row.pastBadgeId, `show`: $show})
            OPTIONAL MATCH (v)-[existing:`Same_Visitor`]->(p)
            """;
        return mode == GraphWriteMode.Full
            ? new($"link Same_Visitor {PastVisitorLabel(pastKind)} full", head + """

                WITH v, p, row, existing IS NULL AS created, existing IS NOT NULL AND coalesce(existing.`type` <> row.type, true) AS changed
                MERGE (v)-[r:`Same_Visitor`]->(p)
                FOREACH (ignored IN CASE WHEN created OR changed THEN [true] ELSE [] END | SET r.`type` = row.type)
                RETURN count(CASE WHEN created THEN r END) AS created, count(CASE WHEN changed THEN r END) AS updated
                """)
            : new($"link Same_Visitor {PastVisitorLabel(pastKind)} incremental", head + """

                WITH v, p, row, existing IS NULL AS created
                MERGE (v)-[r:`Same_Visitor`]->(p)
                ON CREATE SET r.`type` = row.type
                RETURN count(CASE WHEN created THEN r END) AS created
                """);
    }

    /// <summary>Rows <c>{badgeId, sessionId, properties: {scan_date, file, seminar_name}}</c>; one link per (visitor, session).</summary>
    public CypherStatement LinkAttendedSessions(VisitorKind pastKind, GraphWriteMode mode)
    {
        var past = Neo4jCypher.Quote(PastVisitorLabel(pastKind));
        var head = $$"""
            UNWIND $rows AS row
            MATCH (v:{{past}} {`BadgeId`: row.badgeId, `show`: $show})
            MATCH (s:{{_sessionsPast}} {`session_id`: row.sessionId, `show`: $show})
            OPTIONAL MATCH (v)-[existing:`attended_session`]->(s)
            """;
        return mode == GraphWriteMode.Full
            ? new($"link attended_session {PastVisitorLabel(pastKind)} full", head + """

                WITH v, s, row, existing IS NULL AS created,
                     existing IS NOT NULL AND any(k IN keys(row.properties) WHERE coalesce(existing[k] <> row.properties[k], true)) AS changed
                MERGE (v)-[r:`attended_session`]->(s)
                FOREACH (ignored IN CASE WHEN created OR changed THEN [true] ELSE [] END | SET r += row.properties)
                RETURN count(CASE WHEN created THEN r END) AS created, count(CASE WHEN changed THEN r END) AS updated
                """)
            : new($"link attended_session {PastVisitorLabel(pastKind)} incremental", head + """

                WITH v, s, row, existing IS NULL AS created
                MERGE (v)-[r:`attended_session`]->(s)
                ON CREATE SET r += row.properties
                RETURN count(CASE WHEN created THEN r END) AS created
                """);
    }

    // ------------------------------------------------------------------ reads (ordered by key)

    /// <summary>Parameters <c>$show</c>, <c>$onlyWithoutRecommendation</c>. Columns badgeId, properties (reserved keys
    /// nulled: drop null entries), hasRecommendation, controlGroup.</summary>
    public CypherStatement ReadVisitors(VisitorKind kind) => new($"read {VisitorLabel(kind)}", $$"""
        MATCH (n:{{Neo4jCypher.Quote(VisitorLabel(kind))}} {`show`: $show})
        WHERE NOT $onlyWithoutRecommendation OR NOT coalesce(n.`has_recommendation`, false)
        RETURN n.`BadgeId` AS badgeId, n {.*, {{ReservedNulls}}} AS properties,
               coalesce(n.`has_recommendation`, false) AS hasRecommendation, coalesce(n.`control_group`, false) AS controlGroup
        ORDER BY badgeId
        """);

    /// <summary>Columns sessionId, streams, properties (reserved keys nulled, the embedding among them: it is never sent back here).</summary>
    public CypherStatement ReadSessions(SessionYear year) => new($"read {GraphLabels.Session(year)}", $$"""
        MATCH (s:{{Neo4jCypher.Quote(GraphLabels.Session(year))}} {`show`: $show})
        RETURN s.`session_id` AS sessionId, coalesce(s.`streams`, []) AS streams, s {.*, {{ReservedNulls}}} AS properties
        ORDER BY sessionId
        """);

    /// <summary>Columns stream, description.</summary>
    public CypherStatement ReadStreams => new("read Stream", $$"""
        MATCH (st:{{_stream}} {`show`: $show})
        RETURN st.`stream` AS stream, st.`description` AS description
        ORDER BY st.`stream_key`
        """);

    /// <summary>Columns badgeId, stream.</summary>
    public CypherStatement ReadVisitorStreams(VisitorKind kind, VisitorStreamRelation relation) =>
        new($"read {VisitorLabel(kind)} {GraphLabels.Relation(relation)}", $$"""
            MATCH (v:{{Neo4jCypher.Quote(VisitorLabel(kind))}} {`show`: $show})
            """ + $$"""
            -[:{{Neo4jCypher.Quote(GraphLabels.Relation(relation))}}]->(st:{{_stream}} {`show`: $show})
            RETURN v.`BadgeId` AS badgeId, st.`stream` AS stream
            ORDER BY badgeId, st.`stream_key`
            """);

    /// <summary>Columns badgeId, pastIsMain (true: PastMain, false: PastSecondary), pastBadgeId, type.</summary>
    public CypherStatement ReadSameVisitors
    {
        get
        {
            var main = Neo4jCypher.Quote(VisitorLabel(VisitorKind.PastMain));
            var secondary = Neo4jCypher.Quote(VisitorLabel(VisitorKind.PastSecondary));
            return new("read Same_Visitor", $$"""
                MATCH (v:{{_visitorThisYear}} {`show`: $show})-[r:`Same_Visitor`]->(p {`show`: $show})
                WHERE p:{{main}} OR p:{{secondary}}
                RETURN v.`BadgeId` AS badgeId, p:{{main}} AS pastIsMain, p.`BadgeId` AS pastBadgeId, r.`type` AS type
                ORDER BY badgeId, pastIsMain DESC, pastBadgeId
                """);
        }
    }

    /// <summary>Columns badgeId, sessionId, scanDate, file, seminarName.</summary>
    public CypherStatement ReadAttendedSessions(VisitorKind pastKind) => new($"read attended_session {PastVisitorLabel(pastKind)}", $$"""
        MATCH (v:{{Neo4jCypher.Quote(PastVisitorLabel(pastKind))}} {`show`: $show})-[r:`attended_session`]->(s:{{_sessionsPast}} {`show`: $show})
        RETURN v.`BadgeId` AS badgeId, s.`session_id` AS sessionId, r.`scan_date` AS scanDate, r.`file` AS file, r.`seminar_name` AS seminarName
        ORDER BY badgeId, sessionId
        """);

    // ------------------------------------------------------------------ embeddings

    /// <summary>Columns thisYear (true: this year's session), sessionId, textHash, model.</summary>
    public CypherStatement ReadEmbeddingStamps => new("read embedding stamps", $$"""
        CALL {
            MATCH (s:{{_sessionsThisYear}} {`show`: $show}) WHERE s.`embedding` IS NOT NULL RETURN s, true AS thisYear
            UNION ALL
            MATCH (s:{{_sessionsPast}} {`show`: $show}) WHERE s.`embedding` IS NOT NULL RETURN s, false AS thisYear
        }
        RETURN thisYear, s.`session_id` AS sessionId, s.`embedding_text_hash` AS textHash, s.`embedding_model` AS model
        ORDER BY thisYear DESC, sessionId
        """);

    /// <summary>Rows <c>{key, textHash, model, vector}</c> (vector: list of floats), one statement per year; a missing session is skipped.</summary>
    public CypherStatement StoreEmbeddings(SessionYear year) => new($"store embeddings {GraphLabels.Session(year)}", $$"""
        UNWIND $rows AS row
        MATCH (s:{{Neo4jCypher.Quote(GraphLabels.Session(year))}} {`session_id`: row.key, `show`: $show})
        WITH s, row, s.`embedding` IS NULL AS created,
             s.`embedding` IS NOT NULL AND (s.`embedding` <> row.vector OR coalesce(s.`embedding_text_hash` <> row.textHash, true)
                 OR coalesce(s.`embedding_model` <> row.model, true)) AS changed
        FOREACH (ignored IN CASE WHEN created OR changed THEN [true] ELSE [] END |
            SET s.`embedding` = row.vector, s.`embedding_text_hash` = row.textHash, s.`embedding_model` = row.model)
        RETURN count(CASE WHEN created THEN s END) AS created, count(CASE WHEN changed THEN s END) AS updated
        """);

    /// <summary>Columns sessionId, textHash, model, vector.</summary>
    public CypherStatement ReadEmbeddings(SessionYear year) => new($"read embeddings {GraphLabels.Session(year)}", $$"""
        MATCH (s:{{Neo4jCypher.Quote(GraphLabels.Session(year))}} {`show`: $show})
        WHERE s.`embedding` IS NOT NULL
        RETURN s.`session_id` AS sessionId, s.`embedding_text_hash` AS textHash, s.`embedding_model` AS model, s.`embedding` AS vector
        ORDER BY sessionId
        """);

    // ------------------------------------------------------------------ recommendations (one transaction, in this order)

    /// <summary>1. Rows <c>{badgeId}</c>: the visitors whose recommendations are replaced.</summary>
    public CypherStatement DeleteRecommendations => new("delete recommendations", $$"""
        UNWIND $rows AS row
        MATCH (v:{{_visitorThisYear}} {`BadgeId`: row.badgeId, `show`: $show})-[r:`IS_RECOMMENDED`]->(:{{_sessionsThisYear}})
        DELETE r
        RETURN count(*) AS deleted
        """);

    /// <summary>2. Rows <c>{badgeId, sessionId, similarityScore}</c>, and <c>$generatedAt</c> (ISO 8601 text, as in SQLite).</summary>
    public CypherStatement CreateRecommendations => new("create recommendations", $$"""
        UNWIND $rows AS row
        MATCH (v:{{_visitorThisYear}} {`BadgeId`: row.badgeId, `show`: $show})
        MATCH (s:{{_sessionsThisYear}} {`session_id`: row.sessionId, `show`: $show})
        OPTIONAL MATCH (v)-[existing:`IS_RECOMMENDED`]->(s)
        WITH v, s, row, existing IS NULL AS created
        MERGE (v)-[r:`IS_RECOMMENDED`]->(s)
        SET r.`similarity_score` = row.similarityScore, r.`generated_at` = $generatedAt
        RETURN count(CASE WHEN created THEN r END) AS created, count(CASE WHEN NOT created THEN r END) AS updated
        """);

    /// <summary>3. Rows <c>{badgeId, controlGroup}</c>: has_recommendation = the visitor has a link now.</summary>
    public CypherStatement SetRecommendationFlags => new("set recommendation flags", $$"""
        UNWIND $rows AS row
        MATCH (v:{{_visitorThisYear}} {`BadgeId`: row.badgeId, `show`: $show})
        SET v.`has_recommendation` = EXISTS { (v)-[:`IS_RECOMMENDED`]->(:{{_sessionsThisYear}}) }, v.`control_group` = row.controlGroup
        """);

    /// <summary>Columns badgeId, sessionId, similarityScore.</summary>
    public CypherStatement ReadRecommendations => new("read recommendations", $$"""
        MATCH (v:{{_visitorThisYear}} {`show`: $show})-[r:`IS_RECOMMENDED`]->(s:{{_sessionsThisYear}} {`show`: $show})
        RETURN v.`BadgeId` AS badgeId, s.`session_id` AS sessionId, r.`similarity_score` AS similarityScore
        ORDER BY badgeId, sessionId
        """);

    // ------------------------------------------------------------------ counts

    /// <summary>One count per node label, and per (start label, relationship type) for every type.</summary>
    public IReadOnlyList<CypherCount> Counts
    {
        get
        {
            var counts = NodeKeys.Select(n => new CypherCount(n.Label, false, new($"count {n.Label}",
                $"MATCH (n:{Neo4jCypher.Quote(n.Label)} {{`show`: $show}}) RETURN count(n) AS total"))).ToList();
            var visitors = Enum.GetValues<VisitorKind>().Select(VisitorLabel).ToArray();
            var relationships = new (string Type, string[] StartLabels)[]
            {
                (GraphLabels.HasStream, [GraphLabels.SessionsThisYear, GraphLabels.SessionsPastYear]),
                (GraphLabels.JobToStream, visitors),
                (GraphLabels.SpecialisationToStream, visitors),
                (GraphLabels.SameVisitor, [GraphLabels.VisitorThisYear]),
                (GraphLabels.AttendedSession, visitors),
                (GraphLabels.IsRecommended, [GraphLabels.VisitorThisYear]),
            };
            foreach (var (type, startLabels) in relationships)
                foreach (var start in startLabels)
                    counts.Add(new CypherCount(type, true, new($"count {type} from {start}",
                        $"MATCH (n:{Neo4jCypher.Quote(start)} {{`show`: $show}})-[r:{Neo4jCypher.Quote(type)}]->() RETURN count(r) AS total")));
            return counts;
        }
    }

    // ------------------------------------------------------------------ all

    /// <summary>Every statement this identity can run, for every kind, year, relation and mode.</summary>
    public IReadOnlyList<CypherStatement> All
    {
        get
        {
            var all = new List<CypherStatement>(Constraints) { ClearRecommendationFlags, DeleteThisYearSessions, ReadStreams, ReadSameVisitors,
                ReadEmbeddingStamps, DeleteRecommendations, CreateRecommendations, SetRecommendationFlags, ReadRecommendations };
            foreach (var mode in Enum.GetValues<GraphWriteMode>())
            {
                all.Add(UpsertStreams(mode));
                foreach (var kind in Enum.GetValues<VisitorKind>()) all.Add(UpsertVisitors(kind, mode));
                foreach (var year in Enum.GetValues<SessionYear>()) all.Add(UpsertSessions(year, mode));
                foreach (var kind in PastKinds) all.AddRange([LinkSameVisitors(kind, mode), LinkAttendedSessions(kind, mode)]);
            }
            foreach (var year in Enum.GetValues<SessionYear>())
                all.AddRange([LinkSessionStreams(year), ReadSessions(year), StoreEmbeddings(year), ReadEmbeddings(year)]);
            foreach (var kind in Enum.GetValues<VisitorKind>())
            {
                all.Add(ReadVisitors(kind));
                foreach (var relation in Enum.GetValues<VisitorStreamRelation>())
                    all.AddRange([LinkVisitorStreams(kind, relation), ReadVisitorStreams(kind, relation)]);
            }
            foreach (var kind in PastKinds) all.Add(ReadAttendedSessions(kind));
            all.AddRange(Counts.Select(c => c.Statement));
            return all;
        }
    }

    private static readonly VisitorKind[] PastKinds = [VisitorKind.PastMain, VisitorKind.PastSecondary];

    // Map projection entries that blank the graph's own properties out of a node's returned property map.
    private static readonly string ReservedNulls =
        string.Join(", ", Neo4jCypher.ReservedProperties.Order(StringComparer.Ordinal).Select(p => $"{Neo4jCypher.Quote(p)}: null"));

    private string PastVisitorLabel(VisitorKind pastKind) => pastKind == VisitorKind.ThisYear
        ? throw new ArgumentException($"a past visitor kind is PastMain or PastSecondary, not {VisitorKind.ThisYear}", nameof(pastKind))
        : VisitorLabel(pastKind);
}
