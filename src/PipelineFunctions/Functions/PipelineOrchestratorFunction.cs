using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>The pipeline orchestration: Core's <see cref="PipelineOrchestration"/> over the Durable context, nothing else.</summary>
public static class PipelineOrchestratorFunction
{
    [Function(PipelineOrchestration.Name)]
    public static async Task<RunSummary> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<PipelineRunInput>()
            ?? throw new InvalidOperationException($"orchestration {context.InstanceId} has no input: start it with a PipelineRunInput");
        var logger = context.CreateReplaySafeLogger(nameof(PipelineOrchestratorFunction));
        using var scope = PipelineTelemetry.Begin(logger, input.RunId, context.InstanceId, input.Request.Event, step: null);
        try
        {
            var summary = await PipelineOrchestration.RunAsync(new DurablePipelineContext(context), input);
            logger.LogInformation("Run {RunId} of event {Event} finished: {Status}", input.RunId, input.Request.Event, summary.Status);
            return summary;
        }
        catch (PipelineRunFailedException e)
        {
            // Durable keeps no output for a failed instance: the failed run's summary goes into the custom status.
            context.SetCustomStatus(e.Summary);
            logger.LogError("Run {RunId} of event {Event} failed: {Error}", input.RunId, input.Request.Event, e.Summary.Error);
            throw;
        }
    }
}

/// <summary>
/// Core's orchestration context port on Durable's <see cref="TaskOrchestrationContext"/>. Retries are Core's
/// (per-step policies from the event config, waiting on durable timers: what Durable's RetryPolicy does), so activities
/// are called without TaskOptions; a failed activity surfaces as Core's <see cref="ActivityFailedException"/>.
/// </summary>
public sealed class DurablePipelineContext(TaskOrchestrationContext context) : IPipelineOrchestrationContext
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
