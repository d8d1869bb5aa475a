using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>
/// An artifact store that holds the first write under <paramref name="heldPrefix"/> until <see cref="Open"/>, then lets it and
/// everything after it through, whatever the run's token says: a step that finishes its work after its process lost the run.
/// </summary>
internal sealed class GatedWriteStore(IArtifactStore inner, string heldPrefix) : IArtifactStore
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the step reached the held write.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _open.TrySetResult();

    public Uri Root => inner.Root;

    public async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        if (path.Value.StartsWith(heldPrefix, StringComparison.Ordinal) && _entered.TrySetResult()) await _open.Task;
        return await inner.PutAsync(path, content, CancellationToken.None);
    }

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
