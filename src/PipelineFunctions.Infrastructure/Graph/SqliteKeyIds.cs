using System.Text;
using SQLitePCL;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// The row ids of the keys a write needs (badge ids, stream keys), found by one scan of a (key, id) query. The keys are
/// given first, from the write's own strings, before the write's transaction; the scan then reads each stored key as bytes
/// and looks it up without making a string: a table of 200,000 visitors read into a dictionary of its own strings cost a
/// string and an entry per row, several times per step-2 run, all while holding the graph's one write lock.
/// </summary>
internal sealed class SqliteKeyIds
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private long[] _ids = [];

    /// <summary>The key's slot (the same for the same key), for <see cref="IdAt"/> once loaded.</summary>
    public int Slot(string key)
    {
        if (!_slots.TryGetValue(key, out var slot)) _slots[key] = slot = _slots.Count;
        return slot;
    }

    /// <summary>The id of the key in <paramref name="slot"/>, or -1 when no row has it.</summary>
    public long IdAt(int slot) => _ids[slot];

    /// <summary>The id of a key given before loading, or false when it was not given or no row has it.</summary>
    public bool TryGetId(string key, out long id)
    {
        id = _slots.TryGetValue(key, out var slot) ? _ids[slot] : -1;
        return id >= 0;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (rows of key text, id; <c>?1</c> the graph's show and <c>?2</c>, when given,
    /// <paramref name="parameter"/>) in the connection's current transaction and keeps the ids of the keys given.
    /// </summary>
    public void Load(SqliteGraphConnection graph, string sql, string? parameter = null)
    {
        _ids = new long[_slots.Count];
        Array.Fill(_ids, -1);
        var lookup = _slots.GetAlternateLookup<ReadOnlySpan<char>>();
        var chars = new char[64];
        using var query = SqliteNativeStatement.Prepare(graph.Connection, sql);
        query.Bind(1, graph.Show);
        if (parameter is not null) query.Bind(2, parameter);
        query.ForEachRow(row =>
        {
            var text = raw.sqlite3_column_blob(row, 0);
            if (chars.Length < text.Length) chars = new char[text.Length];
            var key = chars.AsSpan(0, Encoding.UTF8.GetChars(text, chars));
            if (lookup.TryGetValue(key, out var slot)) _ids[slot] = raw.sqlite3_column_int64(row, 1);
        });
    }
}
