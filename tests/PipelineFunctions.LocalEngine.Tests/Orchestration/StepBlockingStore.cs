using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.LocalEngine.Tests.Orchestration;

/// <summary>
/// An artifact store that holds the first write under <paramref name="heldPrefix"/> (a step's run folder) until the run is
/// cancelled, then fails it: a fixed point inside a step where a test stops the run as a killed process would, instead
/// of racing the step with a polling loop.
/// </summary>
internal sealed class StepBlockingStore(IArtifactStore inner, string heldPrefix) : DelegatingArtifactStore(inner)
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the step reached the held write.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets the held write fail even if the step did not pass the run's token down to it.</summary>
    public void Release() => _released.TrySetResult();

    public override async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        if (path.Value.StartsWith(heldPrefix, StringComparison.Ordinal) && _entered.TrySetResult())
        {
            await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), _released.Task);
            // Nothing of this write, nor anything after it in the step, happens: as when the process dies here.
            throw new OperationCanceledException("the run was stopped inside the step", cancellationToken);
        }
        return await Inner.PutAsync(path, content, cancellationToken);
    }
}
