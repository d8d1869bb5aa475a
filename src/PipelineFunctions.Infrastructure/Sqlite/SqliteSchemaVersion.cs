using Microsoft.Data.Sqlite;

namespace PipelineFunctions.Infrastructure.Sqlite;

/// <summary>
/// Creates a SQLite file's tables once per schema version, kept in <c>PRAGMA user_version</c>. A file written by a newer
/// version is refused rather than misread. Used by every embedded database (the agenda graph, the run store).
/// </summary>
public static class SqliteSchemaVersion
{
    /// <summary>
    /// Creates what is missing and stamps <paramref name="version"/>. Checks the version first without a write lock, so
    /// opening a current file never waits for another connection's long write; then checks again under the lock, so
    /// connections opening a new file at once create it once.
    /// </summary>
    /// <param name="schemaName">Names the database in the error, e.g. "graph" or "run store".</param>
    /// <param name="switchToWal">Switch the file to WAL first (persistent, and impossible inside a transaction).</param>
    /// <param name="upgrades">Statements that bring a file of version k - 1 to version k, by k. When given, a file of an older
    /// version that misses one is refused rather than misread; without them the create statements alone bring it up to date.</param>
    /// <exception cref="InvalidOperationException">The file's version is newer than <paramref name="version"/>, or older
    /// with a missing upgrade.</exception>
    public static void Ensure(SqliteConnection connection, string databasePath, string schemaName, int version, string createStatements,
        bool switchToWal = false, IReadOnlyDictionary<int, string>? upgrades = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var stored = Read(connection, null);
        if (stored == version) return;
        RefuseNewer(stored, version, databasePath, schemaName);

        if (switchToWal)
        {
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        stored = Read(connection, transaction);
        RefuseNewer(stored, version, databasePath, schemaName);
        if (stored == version) return; // another connection created it while this one waited for the lock
        var steps = new List<string>();
        // An existing file of an older version: its tables exist, so CREATE ... IF NOT EXISTS would not add new columns.
        if (stored > 0 && upgrades is not null)
            for (var next = (int)stored + 1; next <= version; next++)
                steps.Add(upgrades.TryGetValue(next, out var upgrade) ? upgrade : throw new InvalidOperationException(
                    $"{databasePath}: {schemaName} schema version {stored} is older than this program's ({version}) and cannot be "
                    + "upgraded; move the file aside to start a new one"));
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = string.Join('\n', steps) + "\n" + createStatements + $"\nPRAGMA user_version = {version};";
            create.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>The file's schema version; 0 for a new file.</summary>
    public static long Read(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static void RefuseNewer(long stored, int version, string databasePath, string schemaName)
    {
        if (stored > version)
            throw new InvalidOperationException(
                $"{databasePath}: {schemaName} schema version {stored} is newer than this program's ({version}); "
                + "use a newer version of the pipeline");
    }
}
