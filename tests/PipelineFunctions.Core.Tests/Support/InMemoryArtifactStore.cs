using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Tests.Support;

/// <summary>The artifact-store port in memory, for Core tests (the real adapters have their own contract tests).</summary>
public sealed class InMemoryArtifactStore : IArtifactStore
{
    private readonly SortedDictionary<string, byte[]> _items = new(StringComparer.Ordinal);
    // Steps publish several outputs at once: every access to the items goes through this.
    private readonly Lock _gate = new();
    private int _puts;

    /// <summary>When set, the put with this 1-based number fails, to test withdrawal of partial publications.</summary>
    public int? FailOnPutNumber { get; set; }
    public int Puts => Volatile.Read(ref _puts);

    public Uri Root { get; } = new("memory://store/");

    public IReadOnlyCollection<string> Paths
    {
        get { lock (_gate) return [.. _items.Keys]; }
    }

    public void Add(string path, byte[] content)
    {
        lock (_gate) _items[ArtifactPath.Parse(path).Value] = content;
    }

    public byte[] Get(string path)
    {
        lock (_gate) return _items[path];
    }

    public async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _puts) == FailOnPutNumber) throw new IOException("simulated storage failure");
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_gate) _items[path.Value] = buffer.ToArray();
        return Describe(path);
    }

    public Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return _items.TryGetValue(path.Value, out var bytes)
                ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
                : throw new ArtifactNotFoundException(GetUri(path));
    }

    public Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_items.ContainsKey(path.Value));
    }

    public async IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<(string Key, int Length)> matches;
        lock (_gate) matches = [.. _items.Where(i => i.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(i => (i.Key, i.Value.Length))];
        foreach (var (key, length) in matches)
            yield return new ArtifactEntry(ArtifactPath.Parse(key), GetUri(ArtifactPath.Parse(key)), length);
        await Task.CompletedTask;
    }

    public Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default) =>
        Task.FromResult(Describe(path).Sha256);

    public Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        lock (_gate) _items.Remove(path.Value);
        return Task.CompletedTask;
    }

    public Uri GetUri(ArtifactPath path) => new(Root, path.Value);

    public bool TryGetPath(Uri uri, out ArtifactPath path)
    {
        path = default;
        var text = uri.ToString();
        return text.StartsWith(Root.ToString(), StringComparison.Ordinal)
            && ArtifactPath.TryParse(Uri.UnescapeDataString(text[Root.ToString().Length..]), out path, out _);
    }

    private StoredArtifact Describe(ArtifactPath path)
    {
        byte[] bytes;
        lock (_gate) bytes = _items[path.Value];
        return new StoredArtifact(path, GetUri(path), Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }
}
