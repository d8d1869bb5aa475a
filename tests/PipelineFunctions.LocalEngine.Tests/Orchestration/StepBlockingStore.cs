using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>
/// An artifact store that holds the first write under <paramref name="heldPrefix"/> (a step's run folder) until the run is
/// cancelled, then fails it: a fixed point inside a step where a test stops the run as a killed process would, instead
/// of racing the step with a polling loop.
/// </summary>
internal sealed class StepBlockingStore(IArtifactStore inner, string heldPrefix) : IArtifactStore
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the step reached the held write.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets the held write fail even if the step did not pass the run's token down to it.</summary>
    public void Release() => _released.TrySetResult();

    public Uri Root => inner.Root;

    public async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        if (path.Value.StartsWith(heldPrefix, StringComparison.Ordinal) && _entered.TrySetResult())
        {
            await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), _released.Task);
            // Nothing of this write, nor anything after it in the step, happens: as when the process dies here.
            throw new OperationCanceledException("the run was stopped inside the step", cancellationToken);
        }
        return await inner.PutAsync(path, content, cancellationToken);
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
