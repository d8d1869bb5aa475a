using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// The weekly incremental run with ranker retraining, per configured event (WEEKLY_RETRAIN_EVENTS), on the
/// WEEKLY_RETRAIN_SCHEDULE (NCRONTAB with seconds, UTC). The instance id is fixed by the ISO week, and an existing
/// instance, or an "already exists" answer when two executions race, counts as done: a week never runs twice.
/// </summary>
public sealed class WeeklyRetrainFunction(AzureHostSettings settings, IPipelineServices services, TimeProvider time, ILogger<WeeklyRetrainFunction> logger)
{
    [Function("WeeklyRetrain")]
    public async Task RunAsync([TimerTrigger("%WEEKLY_RETRAIN_SCHEDULE%")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var now = time.GetUtcNow();
        if (settings.WeeklyEvents.Count == 0)
            logger.LogWarning("Weekly retraining is scheduled but {Setting} lists no event", AzureHostSettings.WeeklyEventsSetting);
        foreach (var weekly in settings.WeeklyEvents)
        {
            var instanceId = WeeklyRuns.InstanceId(weekly.Event, now);
            using var scope = PipelineTelemetry.Begin(logger, instanceId, instanceId, weekly.Event, step: null);
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, context.CancellationToken) is { } existing)
            {
                logger.LogInformation("Weekly run {InstanceId} of event {Event} exists already ({Status})", instanceId, weekly.Event, existing.RuntimeStatus);
                continue;
            }
            var request = WeeklyRuns.Request(weekly);
            try
            {
                RunRequestValidation.Validate(request, services.LoadConfig);
                await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestration.Name, new PipelineRunInput(request, instanceId),
                    new StartOrchestrationOptions(instanceId), context.CancellationToken);
                logger.LogInformation("Weekly run {InstanceId} of event {Event} started{PastDue}", instanceId, weekly.Event, timer.IsPastDue ? " (past due)" : "");
            }
            catch (PipelineInputException e)
            {
                // One event's bad config must not keep the others from running; it is tried again next week.
                logger.LogError("Weekly run {InstanceId} of event {Event} not started: {Problem}", instanceId, weekly.Event, e.Message);
            }
            catch (Exception e) when (WeeklyRuns.IsAlreadyExists(e))
            {
                logger.LogInformation("Weekly run {InstanceId} of event {Event} exists already", instanceId, weekly.Event);
            }
        }
    }
}
