namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// What the pipeline orchestration needs from its host, mirroring Durable Task's TaskOrchestrationContext so the
/// Azure host adapts the real context in a few lines and the local runner implements it with a run store.
/// Orchestration code must be deterministic: no I/O, no clock, no random numbers except through this context.
/// </summary>
public interface IPipelineOrchestrationContext
{
    string InstanceId { get; }

    /// <summary>Replay-safe current time (the time the current orchestration step first ran).</summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the orchestration re-executes past its recorded history (logs should be skipped).</summary>
    bool IsReplaying { get; }

    /// <summary>Runs an activity once; a failure surfaces as <see cref="ActivityFailedException"/>.</summary>
    Task<TResult> CallActivityAsync<TResult>(string name, object? input);

    /// <summary>A durable timer (Durable's CreateTimer): the orchestration waits until the time, surviving restarts.</summary>
    Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken cancellationToken);

    void SetCustomStatus(object? status);

    /// <summary>A GUID that is the same on every replay.</summary>
    Guid NewGuid();
}
