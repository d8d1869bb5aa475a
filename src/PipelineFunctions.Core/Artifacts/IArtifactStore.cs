namespace PipelineFunctions.Core.Artifacts;

/// <summary>
/// Where step artifacts live, addressed by a relative <see cref="ArtifactPath"/> inside the store and by an
/// absolute URI outside it (file:///..., https://account.blob.core.windows.net/container/...).
/// Adapters: local folder (embedded default) and Azure Blob Storage.
/// </summary>
public interface IArtifactStore
{
    /// <summary>The URI of the store's root; every artifact URI starts with it.</summary>
    Uri Root { get; }

    /// <summary>Writes (or overwrites) an artifact and returns its URI, SHA-256 and length.</summary>
    Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes (or overwrites) an artifact that <paramref name="render"/> writes onto a stream, and returns its URI, SHA-256 and
    /// length; the artifact is never held whole in memory. The default renders into a pipe that <see cref="PutAsync"/> reads;
    /// a store that can hash and write on the rendering thread overrides it to spare the pipe's copies and thread hops.
    /// </summary>
    Task<StoredArtifact> PutRenderedAsync(ArtifactPath path, Action<Stream, CancellationToken> render,
        CancellationToken cancellationToken = default) => RenderedPut.ThroughPipeAsync(this, path, render, cancellationToken);

    /// <summary>
    /// Copies an artifact to another path of this store, replacing what is there, as one write: a reader of the target sees
    /// the old or the new content, never part of it. Throws <see cref="ArtifactNotFoundException"/> when the source does not
    /// exist. The default streams the bytes through this process; a store that can copy where it keeps them overrides it.
    /// </summary>
    async Task CopyAsync(ArtifactPath source, ArtifactPath target, CancellationToken cancellationToken = default)
    {
        await using var content = await OpenReadAsync(source, cancellationToken);
        await PutAsync(target, content, cancellationToken);
    }

    /// <summary>Opens an artifact for reading; throws <see cref="ArtifactNotFoundException"/> when it does not exist.</summary>
    Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Artifacts whose path starts with the prefix (a folder-like prefix such as "runs/vet_lva/"), ordered by path.
    /// Listing never reads contents (so no hashes: ask <see cref="GetContentHashAsync"/> for the ones you need).
    /// </summary>
    IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Lower-case hex SHA-256 of the artifact's content.</summary>
    Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default);

    /// <summary>Removes an artifact if it exists (used to withdraw a partial publication).</summary>
    Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default);

    /// <summary>The absolute URI of a path in this store.</summary>
    Uri GetUri(ArtifactPath path);

    /// <summary>The path of an absolute URI that lies inside this store; false for any other URI.</summary>
    bool TryGetPath(Uri uri, out ArtifactPath path);
}
