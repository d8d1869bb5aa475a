namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Tolerated input problems (duplicate badge ids, unknown show refs, rows missing a name...). They do not
/// fail the run; they are counted per kind and file, with the first few rows as examples, in the step metadata.
/// </summary>
internal sealed class PreparationWarnings
{
    public const int ExamplesPerWarning = 5;

    private readonly Dictionary<(string Code, string File), Entry> _entries = [];
    private readonly List<(string Code, string File)> _order = [];

    public void Add(string code, string file, string message, long? row = null, string? field = null, string? value = null)
    {
        var key = (code, file);
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(message);
            _entries.Add(key, entry);
            _order.Add(key);
        }
        entry.Count++;
        if (entry.Examples.Count < ExamplesPerWarning)
            entry.Examples.Add(new PreparationWarningExample(row, field, value is { Length: > 80 } ? value[..80] + "…" : value));
    }

    /// <summary>Adds another collector's warnings (counts and examples) after this one's, as if they had been added here.</summary>
    public void AddAll(PreparationWarnings other)
    {
        foreach (var key in other._order)
        {
            var theirs = other._entries[key];
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(theirs.Message);
                _entries.Add(key, entry);
                _order.Add(key);
            }
            entry.Count += theirs.Count;
            entry.Examples.AddRange(theirs.Examples.Take(ExamplesPerWarning - entry.Examples.Count));
        }
    }

    public int Count(string code) => _entries.Where(e => e.Key.Code == code).Sum(e => e.Value.Count);

    public IReadOnlyList<PreparationWarning> ToList() =>
        _order.Select(k => new PreparationWarning(k.Code, k.File, _entries[k].Message, _entries[k].Count, _entries[k].Examples)).ToList();

    private sealed class Entry(string message)
    {
        public string Message { get; } = message;
        public int Count { get; set; }
        public List<PreparationWarningExample> Examples { get; } = [];
    }
}
