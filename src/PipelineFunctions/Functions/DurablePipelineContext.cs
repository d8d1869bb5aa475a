using Microsoft.DurableTask;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Functions;

/// <summary>
/// Core's orchestration context port on Durable's <see cref="TaskOrchestrationContext"/>. Retries are Core's
/// (per-step policies from the event config, waiting on durable timers: what Durable's RetryPolicy does), so activities
/// are called without TaskOptions; a failed activity surfaces as Core's <see cref="ActivityFailedException"/>.
/// </summary>
internal sealed class DurablePipelineContext(TaskOrchestrationContext context) : IPipelineOrchestrationContext
{
    public string InstanceId => context.InstanceId;

    public DateTime CurrentUtcDateTime => context.CurrentUtcDateTime;

    public bool IsReplaying => context.IsReplaying;

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input)
    {
        try
        {
            return await context.CallActivityAsync<TResult>(name, input);
        }
        catch (TaskFailedException e)
        {
            var details = e.FailureDetails;
            throw new ActivityFailedException(name, details.ErrorType, string.IsNullOrEmpty(details.ErrorMessage) ? e.Message : details.ErrorMessage);
        }
    }

    public Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken cancellationToken) => context.CreateTimer(fireAtUtc, cancellationToken);

    public void SetCustomStatus(object? status) => context.SetCustomStatus(status);

    public Guid NewGuid() => context.NewGuid();
}
