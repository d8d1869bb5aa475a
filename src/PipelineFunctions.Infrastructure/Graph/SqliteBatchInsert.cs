namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// Inserts many rows, <see cref="RowsPerStatement"/> per multi-row INSERT run through <see cref="SqliteNativeStatement"/>:
/// a show's first load writes hundreds of thousands of nodes and links, and one statement per row costs several times
/// SQLite's own work. The rows are inserted in the order given, so row ids come out as one INSERT per row would give them.
/// </summary>
internal static class SqliteBatchInsert
{
    /// <summary>Amortises each statement's start-up while staying far below SQLite's limit of parameters.</summary>
    public const int RowsPerStatement = 128;

    /// <summary>
    /// Inserts <paramref name="rows"/> into <paramref name="table"/>: <c>?1</c> is the graph's show, the next
    /// <paramref name="constants"/>.Length parameters are the same for every row, and <paramref name="bindRow"/> binds a
    /// row's <paramref name="rowColumns"/>.Length values from the position it is given. Returns the rows inserted
    /// (fewer than given when <paramref name="onConflict"/> skips some).
    /// </summary>
    public static long InsertAll<T>(SqliteGraphConnection graph, string table, IReadOnlyList<string> constantColumns,
        IReadOnlyList<object> constants, IReadOnlyList<string> rowColumns, IReadOnlyList<T> rows, Action<SqliteNativeStatement, int, T> bindRow,
        string onConflict = "", CancellationToken cancellationToken = default)
    {
        long inserted = 0;
        SqliteNativeStatement? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(RowsPerStatement, rows.Count - start);
                var statement = count == RowsPerStatement
                    ? full ??= Prepare(graph, table, constantColumns, constants, rowColumns, count, onConflict)
                    : Prepare(graph, table, constantColumns, constants, rowColumns, count, onConflict);
                try
                {
                    var first = 2 + constants.Count;
                    for (var i = 0; i < count; i++) bindRow(statement, first + i * rowColumns.Count, rows[start + i]);
                    inserted += statement.Execute();
                }
                finally
                {
                    if (!ReferenceEquals(statement, full)) statement.Dispose();
                }
            }
        }
        finally
        {
            full?.Dispose();
        }
        return inserted;
    }

    private static SqliteNativeStatement Prepare(SqliteGraphConnection graph, string table, IReadOnlyList<string> constantColumns,
        IReadOnlyList<object> constants, IReadOnlyList<string> rowColumns, int rows, string onConflict)
    {
        var constantPlaceholders = Enumerable.Range(1, 1 + constants.Count).Select(p => $"?{p}").ToList();
        var first = 2 + constants.Count;
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(row =>
            "(" + string.Join(", ", constantPlaceholders.Concat(rowColumns.Select((_, c) => $"?{first + row * rowColumns.Count + c}"))) + ")"));
        var statement = SqliteNativeStatement.Prepare(graph.Connection,
            $"INSERT INTO {table} ({string.Join(", ", ["show", .. constantColumns, .. rowColumns])}) VALUES {values} {onConflict}");
        statement.Bind(1, graph.Show);
        for (var i = 0; i < constants.Count; i++)
            _ = constants[i] switch
            {
                long number => statement.Bind(2 + i, number),
                string text => statement.Bind(2 + i, text),
                var other => throw new ArgumentException(
                    $"a constant column takes a long or a string, not {other?.GetType().Name}", nameof(constants)),
            };
        return statement;
    }
}
