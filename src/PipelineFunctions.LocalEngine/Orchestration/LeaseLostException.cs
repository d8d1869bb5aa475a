namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>
/// Another process took the instance over (this one's lease expired, say while it was stalled): the execution here must
/// stop without recording anything more. A cancellation, so the orchestration's own error handling lets it through.
/// </summary>
internal sealed class LeaseLostException(string instanceId)
    : OperationCanceledException($"instance '{instanceId}' was taken over by another process (its lease here expired)");
