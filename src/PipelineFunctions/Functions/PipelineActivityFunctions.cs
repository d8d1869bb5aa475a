using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// One activity function per name in <see cref="PipelineActivityNames"/>, each a call into Core's
/// <see cref="PipelineActivities"/> inside the run's telemetry scope. Inputs and results are Core's small records
/// (URIs, hashes, counts), serialized with the pipeline's JSON options (see Program.cs).
/// </summary>
public sealed class PipelineActivityFunctions(PipelineActivities activities, ILogger<PipelineActivityFunctions> logger)
{
    [Function(PipelineActivityNames.PlanRun)]
    public async Task<RunPlan> PlanRun([ActivityTrigger] PipelineRunInput input, FunctionContext context)
    {
        using var scope = Scope(context, input, "plan");
        return await activities.PlanRunAsync(input, context.CancellationToken);
    }

    [Function(PipelineActivityNames.PrepareData)]
    public async Task<StepOutcome> PrepareData([ActivityTrigger] StepActivityInput input, FunctionContext context)
    {
        using var scope = Scope(context, input.Run, input.Step);
        return await activities.PrepareDataAsync(input, context.CancellationToken);
    }

    [Function(PipelineActivityNames.PrepareGraph)]
    public async Task<StepOutcome> PrepareGraph([ActivityTrigger] StepActivityInput input, FunctionContext context)
    {
        using var scope = Scope(context, input.Run, input.Step);
        return await activities.PrepareGraphAsync(input, context.CancellationToken);
    }

    [Function(PipelineActivityNames.EmbedSessions)]
    public async Task<StepOutcome> EmbedSessions([ActivityTrigger] StepActivityInput input, FunctionContext context)
    {
        using var scope = Scope(context, input.Run, input.Step);
        return await activities.EmbedSessionsAsync(input, context.CancellationToken);
    }

    [Function(PipelineActivityNames.Recommend)]
    public async Task<StepOutcome> Recommend([ActivityTrigger] StepActivityInput input, FunctionContext context)
    {
        using var scope = Scope(context, input.Run, input.Step);
        return await activities.RecommendAsync(input, context.CancellationToken);
    }

    [Function(PipelineActivityNames.ReuseStep)]
    public async Task<StepOutcome> ReuseStep([ActivityTrigger] StepActivityInput input, FunctionContext context)
    {
        using var scope = Scope(context, input.Run, input.Step);
        return await activities.ReuseStepAsync(input, context.CancellationToken);
    }

    [Function(PipelineActivityNames.RetrainRanker)]
    public async Task<RetrainingOutcome> RetrainRanker([ActivityTrigger] StepActivityInput input, FunctionContext context)
    {
        using var scope = Scope(context, input.Run, input.Step);
        return await activities.RetrainRankerAsync(input, context.CancellationToken);
    }

    private IDisposable? Scope(FunctionContext context, PipelineRunInput run, string step)
    {
        var instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is string text ? text : run.RunId;
        return PipelineTelemetry.Begin(logger, run.RunId, instanceId, run.Request.Event, step);
    }
}
