namespace PipelineFunctions.Infrastructure.Graph;

/// <summary>
/// SQLite's BINARY collation (UTF-8 bytes, i.e. code points) for strings sorted in memory, so that a read sorted here
/// comes out as <c>ORDER BY</c> gave it. Ordinal UTF-16 order differs only where a surrogate pair (above U+FFFF) meets a
/// character from U+E000 to U+FFFF.
/// </summary>
internal sealed class SqliteTextOrder : IComparer<string>
{
    public static readonly SqliteTextOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length) return x.Length.CompareTo(y.Length);
        var (a, b) = (x[common], y[common]);
        var (surrogateA, surrogateB) = (char.IsSurrogate(a), char.IsSurrogate(b));
        // A surrogate stands for a code point above every character it can meet here.
        if (surrogateA != surrogateB) return surrogateA ? 1 : -1;
        return a.CompareTo(b);
    }
}
