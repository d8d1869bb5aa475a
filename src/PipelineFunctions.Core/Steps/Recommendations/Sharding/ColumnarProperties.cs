using System.Diagnostics.CodeAnalysis;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// A visitor's columns as a shard, the scoring context or the fan-in's exports hold them: the column names and their
/// positions, shared by every visitor of a file, and the visitor's values in that order (null where the visitor has none).
/// A dictionary per visitor was most of what reading a shard's visitors and the context's past visitors allocated.
/// </summary>
internal sealed class ColumnarProperties : IReadOnlyDictionary<string, string>
{
    private readonly IReadOnlyList<string> _names;
    private readonly IReadOnlyDictionary<string, int> _positions;
    private readonly IReadOnlyList<string?> _values;

    /// <param name="names">The columns, shared.</param>
    /// <param name="positions">Each column's position in <paramref name="names"/>, shared.</param>
    /// <param name="values">This visitor's value of each column, null where it has none.</param>
    public ColumnarProperties(IReadOnlyList<string> names, IReadOnlyDictionary<string, int> positions, IReadOnlyList<string?> values)
    {
        if (values.Count != names.Count) throw new ArgumentException($"{values.Count} values for {names.Count} columns", nameof(values));
        (_names, _positions, _values) = (names, positions, values);
        foreach (var value in values)
            if (value is not null) Count++;
    }

    /// <summary>Each column's position in <paramref name="names"/>, shared by the visitors built on them.</summary>
    public static Dictionary<string, int> Positions(IReadOnlyList<string> names)
    {
        var positions = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++) positions.TryAdd(names[i], i);
        return positions;
    }

    public int Count { get; }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no column {key}");

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = _positions.TryGetValue(key, out var position) ? _values[position] : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _values.Count; i++)
            if (_values[i] is { } value) yield return new(_names[i], value);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
