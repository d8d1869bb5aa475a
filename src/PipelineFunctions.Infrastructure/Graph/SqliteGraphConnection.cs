using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// The one connection of a <see cref="SqliteAgendaGraph"/> instance and its identity, shared by the instance's writers and
/// reader: commands carry <c>$show</c>, and labels are built from the identity. Not for concurrent use: every operation
/// holds <see cref="Exclusive"/> while it runs.
/// </summary>
internal sealed class SqliteGraphConnection(SqliteConnection connection, GraphIdentity identity, string databasePath) : IAsyncDisposable
{
    private int _inUse;

    public SqliteConnection Connection { get; } = connection;

    public string Show => identity.Show;

    public string DatabasePath { get; } = databasePath;

    /// <summary>True once disposed, or closed because it could no longer be trusted (see <see cref="Close"/>).</summary>
    public bool IsClosed { get; private set; }

    public string VisitorLabel(VisitorKind kind) => GraphLabels.Visitor(kind, identity.MainEventName, identity.SecondaryEventName);

    /// <summary>One turn at writing per graph file in this process, whichever instance asks (see <see cref="WaitForWriteTurnAsync"/>).</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteTurns = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until no other instance of this process writes to this graph file, and holds that turn until disposed: taken before
    /// <see cref="BeginWrite"/> and let go after the commit. SQLite's busy handler waits for another's transaction by sleeping
    /// (steps of up to 100 ms), so a part of step 2 that waited for the other resumed late; the turn is handed over the
    /// moment the writer before lets it go. Writers of other processes are still waited for by the busy timeout.
    /// </summary>
    public async Task<WriteTurn> WaitForWriteTurnAsync(CancellationToken cancellationToken)
    {
        var turn = WriteTurns.GetOrAdd(Path.GetFullPath(DatabasePath), _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        return new WriteTurn(turn);
    }

    /// <summary>A turn at writing (<see cref="WaitForWriteTurnAsync"/>): disposing it lets the next writer in.</summary>
    public sealed class WriteTurn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release();
        }
    }

    /// <summary>BEGIN IMMEDIATE: takes the write lock up front, so a writer waits (busy_timeout) instead of failing when
    /// another instance committed between its read and its write.</summary>
    public SqliteTransaction BeginWrite() => Connection.BeginTransaction(deferred: false);

    /// <summary>A command with <c>$show</c> bound to this graph's show.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$show", Show);
        return command;
    }

    public static void PrepareAll(params ReadOnlySpan<SqliteCommand> commands)
    {
        foreach (var command in commands) command.Prepare();
    }

    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(SqliteCommand command, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(map(reader));
        return items;
    }

    /// <summary>Closes the connection for good: the instance refuses every later call.</summary>
    public void Close()
    {
        IsClosed = true;
        Connection.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (IsClosed) return;
        IsClosed = true;
        await Connection.DisposeAsync();
    }

    /// <summary>
    /// Runs <paramref name="write"/> (which opens and ends its own transaction) with foreign-key enforcement off on this
    /// connection. Only for writes that read every row id they reference inside their transaction, which holds the write
    /// lock from its start, so no check could fail: with enforcement on, SQLite journals every multi-row statement to be
    /// able to undo it, which costs more than the write. Enforcement is always restored; if that cannot be confirmed the
    /// instance is closed, as later writes rely on it (ON DELETE CASCADE).
    /// </summary>
    public async Task<T> WithoutForeignKeyChecksAsync<T>(Func<Task<T>> write)
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
            throw new InvalidOperationException(
                $"{DatabasePath}: foreign-key enforcement could not be turned back on after a write, so this graph instance was closed; "
                + "open a new one.");
        return result;
    }

    private bool RestoreForeignKeysOrClose()
    {
        try
        {
            // A no-op inside a transaction (if a rollback failed), hence the read-back.
            SetForeignKeys(true);
            using var check = Connection.CreateCommand();
            check.CommandText = "PRAGMA foreign_keys";
            if (check.ExecuteScalar() is 1L) return true;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
        }
        Close();
        return false;
    }

    private void SetForeignKeys(bool on)
    {
        using var pragma = Connection.CreateCommand();
        pragma.CommandText = on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF";
        pragma.ExecuteNonQuery();
    }

    /// <summary>Marks the connection in use until the result is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The graph instance is disposed or was closed.</exception>
    /// <exception cref="InvalidOperationException">Another operation of this instance is running.</exception>
    public ExclusiveUse Exclusive()
    {
        ObjectDisposedException.ThrowIf(IsClosed, typeof(SqliteAgendaGraph));
        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0)
            throw new InvalidOperationException(
                "This graph instance is already running an operation: an instance is not for concurrent use; "
                + "open one per concurrent worker from the factory.");
        return new ExclusiveUse(this);
    }

    public readonly struct ExclusiveUse(SqliteGraphConnection graph) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref graph._inUse, 0);
    }
}
