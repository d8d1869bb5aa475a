using System.Diagnostics.CodeAnalysis;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// A step-1 row as a node's ordered properties (every column, empty values included), without copying it: a dictionary per
/// row of a large show cost more memory than the table itself (hundreds of megabytes at 200,000 visitors) and much of the
/// visitor processor's CPU. Columns are looked up through one index shared by every row of the table.
/// </summary>
internal sealed class TableRowProperties(IReadOnlyList<string> header, IReadOnlyDictionary<string, int> columns, string[] row)
    : IReadOnlyDictionary<string, string>
{
    /// <summary>Every row of <paramref name="table"/>, in row order, sharing one column index.</summary>
    public static Func<string[], IReadOnlyDictionary<string, string>> For(ArtifactTable table)
    {
        var columns = new Dictionary<string, int>(table.Header.Count, StringComparer.Ordinal);
        for (var i = 0; i < table.Header.Count; i++) columns.TryAdd(table.Header[i], i);
        // A column name given twice (never written by step 1): the table's own copy, which keeps its rule for that.
        if (columns.Count != table.Header.Count) return table.Properties;
        return row => new TableRowProperties(table.Header, columns, row);
    }

    public string this[string key] => columns.TryGetValue(key, out var column) ? row[column] : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => header;

    public IEnumerable<string> Values => header.Select(key => row[columns[key]]);

    public int Count => header.Count;

    public bool ContainsKey(string key) => columns.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var found = columns.TryGetValue(key, out var column);
        value = found ? row[column] : null;
        return found;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (var key in header) yield return new KeyValuePair<string, string>(key, row[columns[key]]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
