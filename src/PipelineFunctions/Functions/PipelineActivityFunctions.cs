using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// One activity function per name in <see cref="PipelineActivityNames"/> (steps 2-4 have three: plan, part, fan-in), each a call into Core's
/// <see cref="PipelineActivities"/> inside the run's telemetry scope. Inputs and results are Core's small records
/// (URIs, hashes, counts), serialized with <see cref="AzureHostJson.Options"/>. The run id is the instance id.
/// </summary>
public sealed class PipelineActivityFunctions(PipelineActivities activities, ILogger<PipelineActivityFunctions> logger)
{
    [Function(PipelineActivityNames.PlanRun)]
    public async Task<RunPlan> PlanRun([ActivityTrigger] PipelineRunInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input, "plan");
        return await activities.PlanRunAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.PrepareData)]
    public async Task<StepOutcome> PrepareData([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.PrepareDataAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.BeginGraphPreparation)]
    public async Task<FanOutPlan> BeginGraphPreparation([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.BeginStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.RunGraphProcessor)]
    public async Task<StepPartResult> RunGraphProcessor([ActivityTrigger] StepPartInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Step.Run, input.Step.Step);
        return await activities.RunStepPartAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.FinishGraphPreparation)]
    public async Task<StepOutcome> FinishGraphPreparation([ActivityTrigger] StepFinishInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Step.Run, input.Step.Step);
        return await activities.FinishStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.BeginEmbeddings)]
    public async Task<FanOutPlan> BeginEmbeddings([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.BeginStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.EmbedSessionBatch)]
    public async Task<StepPartResult> EmbedSessionBatch([ActivityTrigger] StepPartInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Step.Run, input.Step.Step);
        return await activities.RunStepPartAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.FinishEmbeddings)]
    public async Task<StepOutcome> FinishEmbeddings([ActivityTrigger] StepFinishInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Step.Run, input.Step.Step);
        return await activities.FinishStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.BeginRecommendations)]
    public async Task<FanOutPlan> BeginRecommendations([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.BeginStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.ScoreRecommendationShard)]
    public async Task<StepPartResult> ScoreRecommendationShard([ActivityTrigger] StepPartInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Step.Run, input.Step.Step);
        return await activities.RunStepPartAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.FinishRecommendations)]
    public async Task<StepOutcome> FinishRecommendations([ActivityTrigger] StepFinishInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Step.Run, input.Step.Step);
        return await activities.FinishStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.ReuseStep)]
    public async Task<StepOutcome> ReuseStep([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.ReuseStepAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.RetrainRanker)]
    public async Task<RetrainingOutcome> RetrainRanker([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.RetrainRankerAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.AnalysePostShow)]
    public async Task<StepOutcome> AnalysePostShow([ActivityTrigger] StepActivityInput input, CancellationToken cancellationToken)
    {
        using var scope = Scope(input.Run, input.Step);
        return await activities.AnalysePostShowAsync(input, cancellationToken);
    }

    [Function(PipelineActivityNames.PublishRunSummary)]
    public async Task<ArtifactReference?> PublishRunSummary([ActivityTrigger] RunSummary summary, CancellationToken cancellationToken)
    {
        using var scope = PipelineTelemetry.Begin(logger, summary.RunId, summary.RunId, summary.Event, "summary");
        return await activities.PublishRunSummaryAsync(summary, cancellationToken);
    }

    [Function(PipelineActivityNames.NotifyRunEnded)]
    public async Task<RunNotificationOutcome> NotifyRunEnded([ActivityTrigger] RunSummary summary, CancellationToken cancellationToken)
    {
        using var scope = PipelineTelemetry.Begin(logger, summary.RunId, summary.RunId, summary.Event, "notification");
        return await activities.NotifyRunEndedAsync(summary, cancellationToken);
    }

    [Function(PipelineActivityNames.RecordRunEnd)]
    public async Task<bool> RecordRunEnd([ActivityTrigger] RunEndedInput input, CancellationToken cancellationToken)
    {
        using var scope = PipelineTelemetry.Begin(logger, input.Summary.RunId, input.InstanceId, input.Summary.Event, step: null);
        return await activities.RecordRunEndAsync(input, cancellationToken);
    }

    private IDisposable? Scope(PipelineRunInput run, string step) => PipelineTelemetry.Begin(logger, run.RunId, run.RunId, run.Request.Event, step);
}
