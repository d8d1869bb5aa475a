using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Sqlite;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Tables of the embedded agenda graph. Nodes are rows keyed by (show, label, key); relationships are rows keyed by
/// their endpoints' row ids, so deleting a session (full mode replaces this year's) cascades to its HAS_STREAM links,
/// attendance, recommendations and embedding. Every row carries <c>show</c>, so several events share one file.
/// </summary>
internal static class SqliteGraphSchema
{
    /// <summary>Stored in <c>PRAGMA user_version</c>; a file written by a newer version is refused rather than misread.</summary>
    public const int Version = 2;

    /// <summary>
    /// Version 2 keeps what step 4 rewrites out of wide rows: the visitors' flags in the narrow <c>visitor_flags</c> (setting
    /// them rewrote every ~700-byte visitor row), a recommendation's generated_at once per write in <c>recommendation_writes</c>
    /// instead of 33 bytes in each of millions of rows, and visitor_streams' relation as a code
    /// (<see cref="RelationCode"/>). A version-1 file is migrated when it is opened, its contents kept.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string> Upgrades = new Dictionary<int, string>
    {
        [2] = """
            CREATE TABLE visitor_flags (
                visitor INTEGER PRIMARY KEY REFERENCES visitors (id) ON DELETE CASCADE,
                has_recommendation INTEGER NOT NULL,
                control_group INTEGER NOT NULL
            ) STRICT;
            INSERT INTO visitor_flags (visitor, has_recommendation, control_group)
                SELECT id, has_recommendation, control_group FROM visitors WHERE has_recommendation <> 0 OR control_group <> 0;
            ALTER TABLE visitors DROP COLUMN has_recommendation;
            ALTER TABLE visitors DROP COLUMN control_group;

            CREATE TABLE visitor_streams_v2 (
                show TEXT NOT NULL,
                relation INTEGER NOT NULL,
                visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
                stream INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
                PRIMARY KEY (visitor, relation, stream)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO visitor_streams_v2 (show, relation, visitor, stream)
                SELECT show, CASE relation WHEN 'job_to_stream' THEN 1 WHEN 'specialization_to_stream' THEN 2 END, visitor, stream
                FROM visitor_streams;
            DROP TABLE visitor_streams;
            ALTER TABLE visitor_streams_v2 RENAME TO visitor_streams;

            CREATE TABLE recommendation_writes (id INTEGER PRIMARY KEY, show TEXT NOT NULL, generated_at TEXT NOT NULL) STRICT;
            INSERT INTO recommendation_writes (show, generated_at)
                SELECT DISTINCT show, generated_at FROM is_recommended ORDER BY generated_at, show;
            CREATE TABLE is_recommended_v2 (
                show TEXT NOT NULL,
                visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
                session INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                similarity_score REAL NOT NULL,
                write_id INTEGER NOT NULL,
                PRIMARY KEY (visitor, session)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO is_recommended_v2 (show, visitor, session, similarity_score, write_id)
                SELECT r.show, r.visitor, r.session, r.similarity_score, w.id
                FROM is_recommended r JOIN recommendation_writes w ON w.show = r.show AND w.generated_at = r.generated_at;
            DROP TABLE is_recommended;
            ALTER TABLE is_recommended_v2 RENAME TO is_recommended;
            """,
    };

    /// <summary>How visitor_streams stores a relation: a small integer, not its name in each of a million rows.</summary>
    public static long RelationCode(VisitorStreamRelation relation) => relation == VisitorStreamRelation.JobToStream ? 1 : 2;

    // STRICT: SQLite checks column types, so a vector can only ever be a BLOB and a key only ever TEXT.
    public const string CreateStatements = """
        CREATE TABLE IF NOT EXISTS visitors (
            id INTEGER PRIMARY KEY,
            show TEXT NOT NULL,
            label TEXT NOT NULL,
            badge_id TEXT NOT NULL,
            properties TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS visitors_key ON visitors (show, label, badge_id);

        -- Step 4's flags, a row only for a visitor with a flag set (absent: both 0); narrow, so setting them rewrites little.
        CREATE TABLE IF NOT EXISTS visitor_flags (
            visitor INTEGER PRIMARY KEY REFERENCES visitors (id) ON DELETE CASCADE,
            has_recommendation INTEGER NOT NULL,
            control_group INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE IF NOT EXISTS sessions (
            id INTEGER PRIMARY KEY,
            show TEXT NOT NULL,
            label TEXT NOT NULL,
            session_id TEXT NOT NULL,
            streams TEXT NOT NULL,
            properties TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS sessions_key ON sessions (show, label, session_id);

        CREATE TABLE IF NOT EXISTS streams (
            id INTEGER PRIMARY KEY,
            show TEXT NOT NULL,
            stream_key TEXT NOT NULL,
            stream TEXT NOT NULL,
            description TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS streams_key ON streams (show, stream_key);

        CREATE TABLE IF NOT EXISTS has_stream (
            show TEXT NOT NULL,
            session INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            stream INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
            PRIMARY KEY (session, stream)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS has_stream_stream ON has_stream (stream);

        CREATE TABLE IF NOT EXISTS visitor_streams (
            show TEXT NOT NULL,
            relation INTEGER NOT NULL, -- RelationCode
            visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            stream INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
            PRIMARY KEY (visitor, relation, stream)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS visitor_streams_stream ON visitor_streams (stream);

        CREATE TABLE IF NOT EXISTS same_visitor (
            show TEXT NOT NULL,
            visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            past_visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            PRIMARY KEY (visitor, past_visitor)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS same_visitor_past ON same_visitor (past_visitor);

        CREATE TABLE IF NOT EXISTS attended_session (
            show TEXT NOT NULL,
            visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            session INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            scan_date TEXT NOT NULL,
            file TEXT NOT NULL,
            seminar_name TEXT NOT NULL,
            PRIMARY KEY (visitor, session)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS attended_session_session ON attended_session (session);

        -- One row per step-4 write of a show: its links' generated_at (rows are never deleted; one per run is negligible).
        CREATE TABLE IF NOT EXISTS recommendation_writes (
            id INTEGER PRIMARY KEY,
            show TEXT NOT NULL,
            generated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE IF NOT EXISTS is_recommended (
            show TEXT NOT NULL,
            visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            session INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            similarity_score REAL NOT NULL,
            write_id INTEGER NOT NULL, -- recommendation_writes.id
            PRIMARY KEY (visitor, session)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS is_recommended_session ON is_recommended (session);

        -- One embedding per session: little-endian float32 values, never JSON.
        CREATE TABLE IF NOT EXISTS session_embeddings (
            session INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            show TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            dimensions INTEGER NOT NULL,
            vector BLOB NOT NULL
        ) STRICT;
        """;

    /// <summary>
    /// The page size of a new file (an existing file keeps its own). Loading a large show writes hundreds of megabytes of
    /// wide visitor rows and link rows in key order: with 16 KB pages rather than SQLite's 4 KB, a 285,000-visitor load
    /// took about a third less CPU (half the system time: a quarter of the page writes), and bulk link inserts about 15 % less.
    /// </summary>
    public const int PageSize = 16384;

    /// <summary>
    /// Per-connection settings. page_size only takes effect on a new, empty file, so it comes before journal_mode. WAL lets
    /// readers and one writer work at once; busy_timeout makes a second writer (another graph instance on the same file)
    /// wait for the first instead of failing.
    /// synchronous = OFF: no fsync when a large write is checkpointed (at 200,000 visitors, waiting for the disk was most of
    /// setting the visitors' flags). A crash of the process loses nothing; only an OS crash or power loss can lose or damage
    /// the last writes, and WAL with NORMAL could already lose them then. The graph is derived data: the run store and the
    /// published artifacts are the record, and a forced Full run rebuilds the graph from step 1 (opening a damaged file
    /// fails with a message saying so, see <see cref="SqliteAgendaGraphFactory"/>).
    /// </summary>
    public static string ConnectionPragmas(TimeSpan busyTimeout) => $"""
        PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};
        PRAGMA page_size = {PageSize};
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = OFF;
        PRAGMA foreign_keys = ON;
        PRAGMA cache_size = -32768;
        """;

    /// <summary>Creates what is missing. Checks the version first without a write lock, so opening a current file
    /// never waits for another instance's long write.</summary>
    public static void Ensure(SqliteConnection connection, string databasePath) =>
        SqliteSchemaVersion.Ensure(connection, databasePath, "graph", Version, CreateStatements, upgrades: Upgrades);
}
