using System.Globalization;
using Microsoft.Data.Sqlite;
using PipelineFunctions.Core;

namespace PipelineFunctions.LocalEngine.Runs;

/// <summary>
/// The embedded runner's run store in a SQLite file (see <see cref="SqliteRunSchema"/> for the tables).
/// <para>
/// Safe for concurrent use by many threads and by several processes on the same file: every call opens its own
/// (pooled) connection and is one statement or one short BEGIN IMMEDIATE transaction; the file is in WAL mode and a
/// writer waits up to <see cref="BusyTimeout"/> for another's transaction. Races are settled by SQLite, never by a
/// read followed by a write: creation by the primary key, the lease by one conditional UPDATE.
/// </para>
/// <para>
/// Times are stored as round-trip UTC text and read back with <see cref="DateTimeKind.Utc"/>; a local time is converted
/// to UTC on the way in, an unspecified one is taken as UTC.
/// </para>
/// </summary>
public sealed class SqliteRunStore : IRunStore
{
    /// <summary>How long a write waits for another connection's transaction on the same file before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    // SQLite result codes a user can cause with the file itself (https://sqlite.org/rescode.html).
    private const int SqliteCorrupt = 11, SqliteCannotOpen = 14, SqliteNotADatabase = 26, SqliteReadOnly = 8;

    // Extended result codes of a failed history insert.
    private const int SqliteConstraintPrimaryKey = 1555, SqliteConstraintForeignKey = 787;

    private const string InstanceColumns =
        "instance_id, name, runtime_status, input, custom_status, output, created_time, last_updated_time, event";

    private readonly string _connectionString;

    /// <param name="databasePath">Relative (to the current directory) or absolute file; the folder, file and tables are
    /// created when missing.</param>
    /// <exception cref="PipelineInputException">The file is not a usable SQLite database.</exception>
    public SqliteRunStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Pooled, unlike the graph: the runner writes custom status often, and a pooled connection keeps the file,
            // its WAL and the parsed schema open between calls. SqliteConnection.ClearAllPools() releases the file.
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        try
        {
            using var connection = Open();
            SqliteRunSchema.Ensure(connection, DatabasePath);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt or SqliteCannotOpen or SqliteReadOnly)
        {
            // A damaged or foreign file is something the user can act on: name it, and never touch it.
            throw new PipelineInputException(DatabasePath, $"cannot be used as the run store database: {e.Message.TrimEnd('.')}", inner: e);
        }
    }

    /// <summary>Absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public async Task<bool> TryCreateAsync(RunInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        RequireId(instance.InstanceId, nameof(instance));
        ArgumentNullException.ThrowIfNull(instance.Name, nameof(instance));
        ArgumentNullException.ThrowIfNull(instance.InputJson, nameof(instance));
        RequireStatus(instance.RuntimeStatus, nameof(instance));

        await using var connection = await OpenAsync(cancellationToken);
        // ON CONFLICT on the key only (unlike INSERT OR IGNORE, which would also swallow a NOT NULL violation):
        // of concurrent creators, SQLite lets exactly one insert the row.
        await using var insert = Command(connection, $"""
            INSERT INTO instances ({InstanceColumns})
            VALUES ($id, $name, $status, $input, $customStatus, $output, $created, $updated, $event)
            ON CONFLICT (instance_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("$id", instance.InstanceId);
        insert.Parameters.AddWithValue("$name", instance.Name);
        insert.Parameters.AddWithValue("$status", instance.RuntimeStatus);
        insert.Parameters.AddWithValue("$input", instance.InputJson);
        insert.Parameters.AddWithValue("$customStatus", Nullable(instance.CustomStatusJson));
        insert.Parameters.AddWithValue("$output", Nullable(instance.OutputJson));
        insert.Parameters.AddWithValue("$created", TimeText(instance.CreatedTime));
        insert.Parameters.AddWithValue("$updated", TimeText(instance.LastUpdatedTime));
        insert.Parameters.AddWithValue("$event", Nullable(instance.Event));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<RunInstance?> GetAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = Command(connection, $"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id");
        select.Parameters.AddWithValue("$id", instanceId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadInstance(reader) : null;
    }

    /// <remarks>A null or empty status list matches every status (as in Durable's list query). Equal created times
    /// come in reverse insertion order.</remarks>
    public async Task<IReadOnlyList<RunInstance>> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Top, nameof(query));

        await using var connection = await OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        var conditions = new List<string>();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = new List<string>(statuses.Count);
            foreach (var status in statuses)
            {
                var name = "$status" + names.Count.ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                select.Parameters.AddWithValue(name, status);
            }
            conditions.Add($"runtime_status IN ({string.Join(", ", names)})");
        }
        if (query.CreatedFrom is { } from)
        {
            conditions.Add("created_time >= $from");
            select.Parameters.AddWithValue("$from", TimeText(from));
        }
        if (query.CreatedTo is { } to)
        {
            conditions.Add("created_time < $to");
            select.Parameters.AddWithValue("$to", TimeText(to));
        }
        if (query.Event is not null)
        {
            conditions.Add("event = $event");
            select.Parameters.AddWithValue("$event", query.Event);
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        select.CommandText = $"SELECT {InstanceColumns} FROM instances {where} ORDER BY created_time DESC, rowid DESC LIMIT $top";
        select.Parameters.AddWithValue("$top", query.Top);

        var instances = new List<RunInstance>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            instances.Add(ReadInstance(reader));
        return instances;
    }

    /// <exception cref="InvalidOperationException">There is no instance with that id.</exception>
    public async Task UpdateAsync(string instanceId, string runtimeStatus, string? customStatusJson, string? outputJson, DateTime at,
        CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        RequireStatus(runtimeStatus, nameof(runtimeStatus));
        await using var connection = await OpenAsync(cancellationToken);
        // A null custom status or output keeps the stored one.
        await using var update = Command(connection, """
            UPDATE instances
            SET runtime_status = $status, custom_status = coalesce($customStatus, custom_status),
                output = coalesce($output, output), last_updated_time = $at
            WHERE instance_id = $id
            """);
        update.Parameters.AddWithValue("$id", instanceId);
        update.Parameters.AddWithValue("$status", runtimeStatus);
        update.Parameters.AddWithValue("$customStatus", Nullable(customStatusJson));
        update.Parameters.AddWithValue("$output", Nullable(outputJson));
        update.Parameters.AddWithValue("$at", TimeText(at));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) throw UnknownInstance(instanceId);
    }

    /// <remarks>A null custom status clears it (as Durable's SetCustomStatus(null) does).</remarks>
    /// <exception cref="InvalidOperationException">There is no instance with that id.</exception>
    public async Task SetCustomStatusAsync(string instanceId, string? customStatusJson, DateTime at, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var update = Command(connection,
            "UPDATE instances SET custom_status = $customStatus, last_updated_time = $at WHERE instance_id = $id");
        update.Parameters.AddWithValue("$id", instanceId);
        update.Parameters.AddWithValue("$customStatus", Nullable(customStatusJson));
        update.Parameters.AddWithValue("$at", TimeText(at));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) throw UnknownInstance(instanceId);
    }

    /// <exception cref="InvalidOperationException">The instance has an event with that sequence number, or there is
    /// no instance with that id (it was purged, say).</exception>
    public async Task AppendHistoryAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellationToken = default) =>
        await InsertHistoryAsync(instanceId, historyEvent, null, cancellationToken);

    /// <exception cref="InvalidOperationException">As <see cref="AppendHistoryAsync"/>.</exception>
    public async Task<bool> TryAppendHistoryAsync(string instanceId, HistoryEvent historyEvent, string leaseOwner,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseOwner);
        return await InsertHistoryAsync(instanceId, historyEvent, leaseOwner, cancellationToken);
    }

    /// <summary>Inserts an event; with a lease owner, only while that owner holds the lease (a fence: one statement
    /// checks and writes, so a process that lost the instance cannot add to the history of the one that took it).</summary>
    private async Task<bool> InsertHistoryAsync(string instanceId, HistoryEvent historyEvent, string? leaseOwner,
        CancellationToken cancellationToken)
    {
        RequireId(instanceId, nameof(instanceId));
        ArgumentNullException.ThrowIfNull(historyEvent);
        ArgumentNullException.ThrowIfNull(historyEvent.Kind, nameof(historyEvent));
        ArgumentNullException.ThrowIfNull(historyEvent.Name, nameof(historyEvent));

        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = Command(connection, leaseOwner is null
            ? """
              INSERT INTO history (instance_id, sequence, kind, name, result, failure_type, failure_message, recorded_at, started_at)
              VALUES ($id, $sequence, $kind, $name, $result, $failureType, $failureMessage, $recordedAt, $startedAt)
              """
            : """
              INSERT INTO history (instance_id, sequence, kind, name, result, failure_type, failure_message, recorded_at, started_at)
              SELECT $id, $sequence, $kind, $name, $result, $failureType, $failureMessage, $recordedAt, $startedAt
              WHERE EXISTS (SELECT 1 FROM instances WHERE instance_id = $id AND lease_owner = $owner)
              """);
        if (leaseOwner is not null) insert.Parameters.AddWithValue("$owner", leaseOwner);
        insert.Parameters.AddWithValue("$id", instanceId);
        insert.Parameters.AddWithValue("$sequence", historyEvent.Sequence);
        insert.Parameters.AddWithValue("$kind", historyEvent.Kind);
        insert.Parameters.AddWithValue("$name", historyEvent.Name);
        insert.Parameters.AddWithValue("$result", Nullable(historyEvent.ResultJson));
        insert.Parameters.AddWithValue("$failureType", Nullable(historyEvent.FailureType));
        insert.Parameters.AddWithValue("$failureMessage", Nullable(historyEvent.FailureMessage));
        insert.Parameters.AddWithValue("$recordedAt", TimeText(historyEvent.RecordedAt));
        insert.Parameters.AddWithValue("$startedAt", historyEvent.StartedAt is { } startedAt ? TimeText(startedAt) : DBNull.Value);
        try
        {
            return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            // Two writers replaying the same instance: the second must stop, not overwrite the first's result.
            throw new InvalidOperationException(
                $"Orchestration instance '{instanceId}' already has history event {historyEvent.Sequence}; another writer is running it", e);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteConstraintForeignKey)
        {
            throw UnknownInstance(instanceId, e);
        }
    }

    /// <remarks>In sequence order; empty for an unknown instance.</remarks>
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = Command(connection, """
            SELECT sequence, kind, name, result, failure_type, failure_message, recorded_at, started_at
            FROM history WHERE instance_id = $id ORDER BY sequence
            """);
        select.Parameters.AddWithValue("$id", instanceId);
        var events = new List<HistoryEvent>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(new HistoryEvent(
                reader.GetInt32(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4),
                NullableString(reader, 5), ReadTime(reader, 6), reader.IsDBNull(7) ? null : ReadTime(reader, 7)));
        return events;
    }

    public async Task TruncateHistoryAsync(string instanceId, int fromSequence, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = Command(connection, "DELETE FROM history WHERE instance_id = $id AND sequence >= $from");
        delete.Parameters.AddWithValue("$id", instanceId);
        delete.Parameters.AddWithValue("$from", fromSequence);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteHistoryEventsAsync(string instanceId, IReadOnlyCollection<int> sequences, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        ArgumentNullException.ThrowIfNull(sequences);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sequence in sequences)
        {
            await using var delete = Command(connection, "DELETE FROM history WHERE instance_id = $id AND sequence = $sequence", transaction);
            delete.Parameters.AddWithValue("$id", instanceId);
            delete.Parameters.AddWithValue("$sequence", sequence);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <exception cref="InvalidOperationException">There is no instance with that id.</exception>
    public async Task<bool> TryAcquireLeaseAsync(string instanceId, string owner, DateTime expiresAt, DateTime now,
        CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var connection = await OpenAsync(cancellationToken);
        // One statement decides and takes: of two processes racing for an expired lease, only one matches the WHERE.
        await using var acquire = Command(connection, """
            UPDATE instances SET lease_owner = $owner, lease_expires_at = $expiresAt
            WHERE instance_id = $id AND (lease_owner IS NULL OR lease_owner = $owner OR lease_expires_at <= $now)
            """);
        acquire.Parameters.AddWithValue("$id", instanceId);
        acquire.Parameters.AddWithValue("$owner", owner);
        acquire.Parameters.AddWithValue("$expiresAt", TimeText(expiresAt));
        acquire.Parameters.AddWithValue("$now", TimeText(now));
        if (await acquire.ExecuteNonQueryAsync(cancellationToken) == 1) return true;

        // Only to tell "held by another" from a missing instance, which false would hide as someone else's run.
        await using var exists = Command(connection, "SELECT 1 FROM instances WHERE instance_id = $id");
        exists.Parameters.AddWithValue("$id", instanceId);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null) throw UnknownInstance(instanceId);
        return false;
    }

    /// <remarks>Does nothing when the lease is another owner's (it took over an expired one) or the instance is gone.</remarks>
    public async Task ReleaseLeaseAsync(string instanceId, string owner, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var connection = await OpenAsync(cancellationToken);
        await using var release = Command(connection,
            "UPDATE instances SET lease_owner = NULL, lease_expires_at = NULL WHERE instance_id = $id AND lease_owner = $owner");
        release.Parameters.AddWithValue("$id", instanceId);
        release.Parameters.AddWithValue("$owner", owner);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <remarks>Oldest first (created time, then insertion order); times compare as text (see <see cref="SqliteRunSchema"/>).</remarks>
    public async Task<IReadOnlyList<RunInstance>> ListClaimableAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = Command(connection, $"""
            SELECT {InstanceColumns} FROM instances
            WHERE runtime_status IN ($pending, $running) AND (lease_owner IS NULL OR lease_expires_at <= $now)
            ORDER BY created_time, rowid
            """);
        select.Parameters.AddWithValue("$pending", RuntimeStatuses.Pending);
        select.Parameters.AddWithValue("$running", RuntimeStatuses.Running);
        select.Parameters.AddWithValue("$now", TimeText(now));
        var instances = new List<RunInstance>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            instances.Add(ReadInstance(reader));
        return instances;
    }

    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        RequireId(instanceId, nameof(instanceId));
        await using var connection = await OpenAsync(cancellationToken);
        // Explicit history delete (not only ON DELETE CASCADE), in one transaction: no reader sees one without the other.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var deleteHistory = Command(connection, "DELETE FROM history WHERE instance_id = $id", transaction);
        deleteHistory.Parameters.AddWithValue("$id", instanceId);
        await deleteHistory.ExecuteNonQueryAsync(cancellationToken);
        await using var deleteInstance = Command(connection, "DELETE FROM instances WHERE instance_id = $id", transaction);
        deleteInstance.Parameters.AddWithValue("$id", instanceId);
        var deleted = await deleteInstance.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    // ---------------------------------------------------------------- helpers

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqliteRunSchema.ConnectionPragmas(BusyTimeout);
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqliteRunSchema.ConnectionPragmas(BusyTimeout);
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static RunInstance ReadInstance(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), NullableString(reader, 4),
        NullableString(reader, 5), ReadTime(reader, 6), ReadTime(reader, 7), NullableString(reader, 8));

    private static object Nullable(string? value) => value is null ? DBNull.Value : value;

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Fixed-width round-trip UTC text, so SQL compares and orders times as text.</summary>
    private static string TimeText(DateTime time)
    {
        var utc = time.Kind switch
        {
            DateTimeKind.Utc => time,
            DateTimeKind.Local => time.ToUniversalTime(),
            _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        };
        return utc.ToString("O", CultureInfo.InvariantCulture);
    }

    private static DateTime ReadTime(SqliteDataReader reader, int ordinal) =>
        DateTime.ParseExact(reader.GetString(ordinal), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static void RequireId(string? instanceId, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(instanceId))
            throw new ArgumentException("An orchestration instance id must not be blank", parameterName);
    }

    private static void RequireStatus(string? runtimeStatus, string parameterName)
    {
        if (runtimeStatus is null || !RuntimeStatuses.All.Contains(runtimeStatus, StringComparer.Ordinal))
            throw new ArgumentException($"'{runtimeStatus}' is not a runtime status; use one of {string.Join(", ", RuntimeStatuses.All)}",
                parameterName);
    }

    private static InvalidOperationException UnknownInstance(string instanceId, Exception? inner = null) =>
        new($"There is no orchestration instance '{instanceId}' in the run store", inner);
}
