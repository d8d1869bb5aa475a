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
    /// <exception cref="InvalidOperationException">The file's version is newer than <paramref name="version"/>.</exception>
    public static void Ensure(SqliteConnection connection, string databasePath, string schemaName, int version, string createStatements,
        bool switchToWal = false)
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
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = createStatements + $"\nPRAGMA user_version = {version};";
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
