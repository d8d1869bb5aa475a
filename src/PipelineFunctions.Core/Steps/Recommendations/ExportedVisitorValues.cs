using System.Diagnostics.CodeAnalysis;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// A visitor's export columns by name, over the values a shard wrote in column order (the first <c>values.Count</c> columns
/// have one): step 4's fan-in exports hundreds of thousands of visitors, and a dictionary each was only read column by column.
/// </summary>
internal sealed class ExportedVisitorValues(IReadOnlyList<string> columns, IReadOnlyDictionary<string, int> columnIndex,
    IReadOnlyList<string> values) : IReadOnlyDictionary<string, string>
{
    /// <summary>Each column's position, made once for all of an export's visitors.</summary>
    public static IReadOnlyDictionary<string, int> IndexOf(IReadOnlyList<string> columns)
    {
        var index = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++) index.TryAdd(columns[i], i);
        return index;
    }

    public int Count => Math.Min(columns.Count, values.Count);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no column '{key}'");

    public IEnumerable<string> Keys => columns.Take(Count);

    public IEnumerable<string> Values => values.Take(Count);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (columnIndex.TryGetValue(key, out var at) && at < Count)
        {
            value = values[at];
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return new KeyValuePair<string, string>(columns[i], values[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
