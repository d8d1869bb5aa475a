using Microsoft.Data.Sqlite;
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
    public const int Version = 1;

    // STRICT: SQLite checks column types, so a vector can only ever be a BLOB and a key only ever TEXT.
    public const string CreateStatements = """
        CREATE TABLE IF NOT EXISTS visitors (
            id INTEGER PRIMARY KEY,
            show TEXT NOT NULL,
            label TEXT NOT NULL,
            badge_id TEXT NOT NULL,
            properties TEXT NOT NULL,
            has_recommendation INTEGER NOT NULL DEFAULT 0,
            control_group INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS visitors_key ON visitors (show, label, badge_id);

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
            relation TEXT NOT NULL,
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

        CREATE TABLE IF NOT EXISTS is_recommended (
            show TEXT NOT NULL,
            visitor INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
            session INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            similarity_score REAL NOT NULL,
            generated_at TEXT NOT NULL,
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
    /// Per-connection settings. WAL lets readers and one writer work at once; busy_timeout makes a second writer (another
    /// graph instance on the same file) wait for the first instead of failing.
    /// synchronous = OFF: no fsync when a large write is checkpointed (at 200,000 visitors, waiting for the disk was most of
    /// setting the visitors' flags). A crash of the process loses nothing; only an OS crash or power loss can lose or damage
    /// the last writes, and WAL with NORMAL could already lose them then. The graph is derived data: the run store and the
    /// published artifacts are the record, and a forced Full run rebuilds the graph from step 1 (opening a damaged file
    /// fails with a message saying so, see <see cref="SqliteAgendaGraphFactory"/>).
    /// </summary>
    public static string ConnectionPragmas(TimeSpan busyTimeout) => $"""
        PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = OFF;
        PRAGMA foreign_keys = ON;
        PRAGMA cache_size = -32768;
        """;

    /// <summary>Creates what is missing. Checks the version first without a write lock, so opening a current file
    /// never waits for another instance's long write.</summary>
    public static void Ensure(SqliteConnection connection, string databasePath) =>
        SqliteSchemaVersion.Ensure(connection, databasePath, "graph", Version, CreateStatements);
}
