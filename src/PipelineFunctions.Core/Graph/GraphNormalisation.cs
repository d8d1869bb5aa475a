namespace PipelineFunctions.Core.Graph;

/// <summary>
/// How every <see cref="IAgendaGraph"/> adapter normalises what it is given, so the SQLite and Neo4j graphs store the
/// same thing: stream names and keys, and duplicate keys within one call.
/// </summary>
public static class GraphNormalisation
{
    /// <summary>A session's stream names as linked and stored: trimmed, blank ones dropped, order kept.</summary>
    public static List<string> CleanStreams(IReadOnlyList<string>? streams)
    {
        var clean = new List<string>(streams?.Count ?? 0);
        if (streams is null) return clean;
        foreach (var stream in streams)
            if (!string.IsNullOrWhiteSpace(stream)) clean.Add(stream.Trim());
        return clean;
    }

    /// <summary>Streams are matched case-insensitively (and ignoring surrounding spaces) by this key.</summary>
    public static string StreamKey(string stream) => stream.Trim().ToLowerInvariant();

    /// <summary>
    /// The items with duplicate keys collapsed, the last one winning, at the first one's position: a duplicate key
    /// within one call is a second write of the same node or relationship.
    /// </summary>
    public static List<T> LastPerKey<T, TKey>(IReadOnlyList<T> items, Func<T, TKey> key) where TKey : notnull
    {
        var positions = new Dictionary<TKey, int>();
        var result = new List<T>(items.Count);
        foreach (var item in items)
        {
            var k = key(item);
            if (positions.TryGetValue(k, out var at)) result[at] = item;
            else
            {
                positions[k] = result.Count;
                result.Add(item);
            }
        }
        return result;
    }
}
