using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Local.Tests.Support;

/// <summary>An artifact store that passes every call to another; a test store overrides only the writes it holds up.</summary>
internal abstract class DelegatingArtifactStore(IArtifactStore inner) : IArtifactStore
{
    protected IArtifactStore Inner => inner;

    public Uri Root => inner.Root;

    public virtual Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default) =>
        inner.PutAsync(path, content, cancellationToken);

    public Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default) =>
        inner.OpenReadAsync(path, cancellationToken);

    public Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default) => inner.ExistsAsync(path, cancellationToken);

    public IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, cancellationToken);

    public Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default) =>
        inner.GetContentHashAsync(path, cancellationToken);

    public Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

    public Uri GetUri(ArtifactPath path) => inner.GetUri(path);

    public bool TryGetPath(Uri uri, out ArtifactPath path) => inner.TryGetPath(uri, out path);
}
