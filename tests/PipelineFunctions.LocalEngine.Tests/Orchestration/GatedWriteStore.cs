using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>
/// An artifact store that holds the first write under <paramref name="heldPrefix"/> until <see cref="Open"/>, then lets it and
/// everything after it through, whatever the run's token says: a step that finishes its work after its process lost the run.
/// </summary>
internal sealed class GatedWriteStore(IArtifactStore inner, string heldPrefix) : DelegatingArtifactStore(inner)
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the step reached the held write.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _open.TrySetResult();

    public override async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        if (path.Value.StartsWith(heldPrefix, StringComparison.Ordinal) && _entered.TrySetResult()) await _open.Task;
        return await Inner.PutAsync(path, content, CancellationToken.None);
    }
}
