namespace PipelineFunctions.Core.Inputs;

/// <summary>
/// One string instance per distinct value of a repetitive field (show refs, badge types, countries, answers), so a
/// show's hundreds of thousands of rows hold a few thousand strings instead of one each. A value still being decoded
/// (characters in a buffer) is looked up without making a string first. Not thread-safe: one per reader.
/// </summary>
internal sealed class TextPool
{
    /// <summary>Beyond this many distinct values a field is not repetitive: new values are returned as they are.</summary>
    public const int DefaultCapacity = 50_000;

    private readonly int _capacity;
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    // Consecutive rows often repeat a value (a visitor's rows follow each other): the last one is checked first, a string
    // the readers already share by reference.
    private string? _lastValue;
    private string _lastPooled = "";

    public TextPool(int capacity = DefaultCapacity)
    {
        _capacity = capacity;
        _lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Intern(string value)
    {
        if (ReferenceEquals(value, _lastValue)) return _lastPooled;
        if (value.Length == 0) return "";
        if (!_pool.TryGetValue(value, out var pooled))
        {
            pooled = value;
            if (_pool.Count < _capacity) _pool.Add(value, value);
        }
        _lastValue = value;
        return _lastPooled = pooled;
    }

    /// <summary>The pooled string of these characters, made (and pooled while there is room) only when new.</summary>
    public string Intern(ReadOnlySpan<char> value)
    {
        if (value.SequenceEqual(_lastPooled)) return _lastPooled;
        if (!_lookup.TryGetValue(value, out var pooled))
        {
            pooled = new string(value);
            if (_pool.Count < _capacity) _pool.Add(pooled, pooled);
        }
        _lastValue = pooled;
        return _lastPooled = pooled;
    }
}
