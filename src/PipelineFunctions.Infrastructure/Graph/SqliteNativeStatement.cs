using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// A prepared statement run through SQLite's C API on the graph's connection (inside its current transaction), with
/// parameters bound by position. For statements run hundreds of thousands of times: Microsoft.Data.Sqlite's own
/// overhead per execution (parameters looked up by name, a reader per query) is several times SQLite's work for a one-row statement.
/// </summary>
internal sealed class SqliteNativeStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private SqliteNativeStatement(sqlite3 db, sqlite3_stmt statement) => (_db, _statement) = (db, statement);

    public static SqliteNativeStatement Prepare(SqliteConnection connection, string sql)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        return new SqliteNativeStatement(db, statement);
    }

    /// <summary>
    /// Binds text as UTF-16, which SQLite converts to the file's UTF-8 itself: the UTF-8 overload made a byte array of every
    /// value first, hundreds of megabytes for step 2's visitor JSON at 200,000 visitors.
    /// </summary>
    public SqliteNativeStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text16(_statement, index, value), _db);
        return this;
    }

    public SqliteNativeStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value), _db);
        return this;
    }

    public SqliteNativeStatement Bind(int index, double value)
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

    /// <summary>Runs a query; replaces the content of <paramref name="values"/> with every row's first column.</summary>
    public void QueryColumn(List<long> values)
    {
        values.Clear();
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) values.Add(raw.sqlite3_column_int64(_statement, 0));
            if (rc != raw.SQLITE_DONE) Check(rc, _db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
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

    /// <summary>Runs a query; hands every row to <paramref name="read"/> (which reads its columns from the statement it is given).</summary>
    public void ForEachRow(Action<sqlite3_stmt> read)
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) read(_statement);
            if (rc != raw.SQLITE_DONE) Check(rc, _db);
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
