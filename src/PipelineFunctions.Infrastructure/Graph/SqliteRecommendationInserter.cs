using Microsoft.Data.Sqlite;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Writes IS_RECOMMENDED rows (duplicates dropped), <see cref="Chunk"/> rows per statement. Without overwrite the rows must not
/// exist yet; with it, a row that exists (a link recommended again) is overwritten in place, which leaves the session index
/// untouched and is much cheaper than deleting and inserting it, but costs more than a plain insert for a new row.
/// </summary>
internal sealed class SqliteRecommendationInserter : IDisposable
{
    /// <summary>Amortises each statement's start-up while staying far below SQLite's limit of parameters.</summary>
    private const int Chunk = 128;

    private const string OverwriteExisting =
        "ON CONFLICT (visitor, session) DO UPDATE SET similarity_score = excluded.similarity_score, write_id = excluded.write_id";

    private readonly SqliteConnection _connection;
    private readonly string _show;
    private readonly long _writeId;
    private readonly bool _overwrite;
    private readonly SqliteNativeStatement _full;
    private readonly long[] _visitors = new long[Chunk];
    private readonly long[] _sessions = new long[Chunk];
    private readonly double[] _scores = new double[Chunk];
    private int _count;

    /// <param name="writeId">The row of recommendation_writes that holds the links' generated_at.</param>
    public SqliteRecommendationInserter(SqliteConnection connection, string show, long writeId, bool overwrite)
    {
        (_connection, _show, _writeId, _overwrite) = (connection, show, writeId, overwrite);
        _full = Prepare(Chunk);
    }

    public void Add(long visitor, long session, double score)
    {
        (_visitors[_count], _sessions[_count], _scores[_count]) = (visitor, session, score);
        if (++_count == Chunk) Write(_full);
    }

    /// <summary>Writes the last, shorter chunk; without it those rows are dropped.</summary>
    public void Flush()
    {
        if (_count == 0) return;
        using var last = Prepare(_count);
        Write(last);
    }

    public void Dispose() => _full.Dispose();

    private void Write(SqliteNativeStatement insert)
    {
        for (var i = 0; i < _count; i++)
            insert.Bind(3 + 3 * i, _visitors[i]).Bind(4 + 3 * i, _sessions[i]).Bind(5 + 3 * i, _scores[i]);
        insert.Execute();
        _count = 0;
    }

    // OR FAIL, not the default ABORT: SQLite then needs no statement journal to undo a partly done multi-row plain insert
    // (a failure fails the whole write anyway, and its transaction is rolled back).
    private SqliteNativeStatement Prepare(int rows)
    {
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(?1, ?{3 + 3 * i}, ?{4 + 3 * i}, ?{5 + 3 * i}, ?2)"));
        var insert = SqliteNativeStatement.Prepare(_connection, $"""
            INSERT OR FAIL INTO is_recommended (show, visitor, session, similarity_score, write_id) VALUES {values}
            {(_overwrite ? OverwriteExisting : "")}
            """);
        return insert.Bind(1, _show).Bind(2, _writeId);
    }
}
