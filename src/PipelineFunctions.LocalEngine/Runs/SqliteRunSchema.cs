using Microsoft.Data.Sqlite;
using PipelineFunctions.Infrastructure.Sqlite;

namespace PipelineFunctions.LocalEngine.Runs;

/// <summary>
/// Tables of the run store: one row per orchestration instance (with the lease of the process running it) and its
/// replay history keyed by (instance, sequence), so a second writer of the same event fails on the primary key.
/// Times are round-trip UTC text ("O", fixed width), so comparing and ordering the text is comparing the times.
/// </summary>
internal static class SqliteRunSchema
{
    /// <summary>Stored in <c>PRAGMA user_version</c>; a file written by a newer version is refused rather than misread.</summary>
    public const int Version = 2;

    /// <summary>Version 2 records when each activity started (the dashboard's timeline); older events keep null.</summary>
    private static readonly Dictionary<int, string> Upgrades = new() { [2] = "ALTER TABLE history ADD COLUMN started_at TEXT;" };

    // STRICT: SQLite checks column types, so a time can only ever be TEXT and a sequence only ever an INTEGER.
    public const string CreateStatements = """
        CREATE TABLE IF NOT EXISTS instances (
            instance_id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            runtime_status TEXT NOT NULL,
            input TEXT NOT NULL,
            custom_status TEXT,
            output TEXT,
            created_time TEXT NOT NULL,
            last_updated_time TEXT NOT NULL,
            event TEXT,
            lease_owner TEXT,
            lease_expires_at TEXT
        ) STRICT;
        CREATE INDEX IF NOT EXISTS instances_created ON instances (created_time);

        -- History of a purged instance goes with it; an event for an unknown instance is refused.
        CREATE TABLE IF NOT EXISTS history (
            instance_id TEXT NOT NULL REFERENCES instances (instance_id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            result TEXT,
            failure_type TEXT,
            failure_message TEXT,
            recorded_at TEXT NOT NULL,
            started_at TEXT,
            PRIMARY KEY (instance_id, sequence)
        ) STRICT, WITHOUT ROWID;
        """;

    /// <summary>Per-connection settings, run on every open (pooled connections included; they are cheap).
    /// busy_timeout makes a writer wait for another connection's or process's transaction instead of failing.</summary>
    public static string ConnectionPragmas(TimeSpan busyTimeout) => $"""
        PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};
        PRAGMA synchronous = NORMAL;
        """;

    /// <summary>Switches the file to WAL (persistent, so once per file is enough) and creates what is missing.
    /// Checks the version first without a write lock, so opening a current file never waits for a writer.</summary>
    public static void Ensure(SqliteConnection connection, string databasePath) =>
        SqliteSchemaVersion.Ensure(connection, databasePath, "run store", Version, CreateStatements, switchToWal: true, Upgrades);
}
