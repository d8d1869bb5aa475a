using System.Text;
using System.Text.Json;

namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>Key strings of the previous rows by position: rows of one label almost always have the same columns in the same order.</summary>
internal sealed class PropertyKeyCache
{
    private readonly List<(byte[] Utf8, string Key)> _byPosition = [];

    public int LastCount { get; set; }

    public string Key(ref Utf8JsonReader reader, int position)
    {
        if (position < _byPosition.Count && reader.ValueTextEquals(_byPosition[position].Utf8)) return _byPosition[position].Key;
        var key = reader.GetString()!;
        var entry = (Encoding.UTF8.GetBytes(key), key);
        if (position < _byPosition.Count) _byPosition[position] = entry;
        else if (position == _byPosition.Count) _byPosition.Add(entry);
        return key;
    }
}
