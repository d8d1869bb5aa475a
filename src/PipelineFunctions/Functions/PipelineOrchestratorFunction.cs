using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// The pipeline orchestration: Core's <see cref="PipelineOrchestration"/> over the Durable context. A failed run has
/// already published its summary and set its compact failure as the custom status when the exception gets here.
/// </summary>
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
            logger.LogError("Run {RunId} of event {Event} failed: {Error}; summary at {SummaryUri}", input.RunId, input.Request.Event,
                e.Summary.Error, e.SummaryUri);
            throw;
        }
    }
}
