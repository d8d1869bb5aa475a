namespace PipelineFunctions.ShowGenerator;

/// <summary>Draws items in proportion to fixed weights in O(log n): cumulative sums and a binary search.</summary>
internal sealed class WeightedSampler<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public WeightedSampler(IEnumerable<T> items, Func<T, double> weight)
    {
        _items = items.ToArray();
        _cumulative = new double[_items.Length];
        var total = 0.0;
        for (var i = 0; i < _items.Length; i++)
        {
            total += Math.Max(0, weight(_items[i]));
            _cumulative[i] = total;
        }
    }

    public int Count => _items.Length;

    public T Next(Random rng)
    {
        if (_items.Length == 0) throw new InvalidOperationException("nothing to sample from");
        var target = rng.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        if (index < 0) index = ~index;
        return _items[Math.Min(index, _items.Length - 1)];
    }
}
