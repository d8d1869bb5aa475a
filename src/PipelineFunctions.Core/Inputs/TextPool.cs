namespace PipelineFunctions.Core.Inputs;

/// <summary>
/// One string instance per distinct value of a repetitive field (show refs, badge types, countries, answers), so a
/// show's hundreds of thousands of rows hold a few thousand strings instead of one each. Not thread-safe: one per reader.
/// </summary>
internal sealed class TextPool(int capacity = TextPool.DefaultCapacity)
{
    /// <summary>Beyond this many distinct values a field is not repetitive: new values are returned as they are.</summary>
    public const int DefaultCapacity = 50_000;

    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

    // The readers share one string per repeated value and consecutive rows often repeat one: that string is recognised by reference.
    private string? _lastValue;
    private string _lastPooled = "";

    public string Intern(string value)
    {
        if (ReferenceEquals(value, _lastValue)) return _lastPooled;
        if (value.Length == 0) return "";
        if (!_pool.TryGetValue(value, out var pooled))
        {
            pooled = value;
            if (_pool.Count < capacity) _pool.Add(value, value);
        }
        _lastValue = value;
        return _lastPooled = pooled;
    }
}
