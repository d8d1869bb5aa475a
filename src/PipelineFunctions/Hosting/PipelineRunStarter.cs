using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Hosting;

/// <summary>
/// Starts pipeline runs on Durable: HTTP submissions (Core's submission contract, the same as the local host's) and
/// the weekly runs. Creating an instance is atomic: the start names the instance id and dedupes on every status, so of
/// any number of concurrent starts with one id exactly one creates it and the others are told it exists, and a
/// finished weekly run is never replaced by a second one in the same week.
/// </summary>
public sealed class PipelineRunStarter(IPipelineServices services, TimeProvider time, ILogger<PipelineRunStarter> logger)
{
    /// <summary>An HTTP submission's JSON body for an event.</summary>
    public async Task<RunStartResult> SubmitAsync(DurableTaskClient client, string eventName, Stream body, CancellationToken cancellationToken)
    {
        RunSubmission submission;
        PipelineRunRequest request;
        try
        {
            submission = await RunSubmissionReader.ReadAsync(body, cancellationToken);
            request = RunSubmissionValidation.ToRequest(eventName, submission, services.LoadConfig);
        }
        catch (PipelineInputException e)
        {
            return new RunStartResult(RunStartStatus.Invalid, null, e);
        }
        return await ScheduleAsync(client, request, submission.InstanceId ?? RunIds.New(time), cancellationToken);
    }

    /// <summary>
    /// The weekly run of each event, under its ISO-week instance id. One event's bad config does not keep the others
    /// from running; it is logged and tried again next week.
    /// </summary>
    public async Task<IReadOnlyList<RunStartResult>> StartWeeklyAsync(DurableTaskClient client, IReadOnlyList<WeeklyEvent> events,
        DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            logger.LogWarning("Weekly retraining is scheduled but {Setting} lists no event", AzureHostOptions.WeeklyEventsSetting);
        var results = new List<RunStartResult>();
        foreach (var weekly in events)
        {
            var instanceId = WeeklyRun.InstanceId(weekly.Event, occurrence);
            PipelineRunRequest request;
            try
            {
                request = RunSubmissionValidation.Validate(WeeklyRun.Request(weekly.Event, weekly.Input), services.LoadConfig);
            }
            catch (PipelineInputException e)
            {
                using (PipelineTelemetry.Begin(logger, instanceId, instanceId, weekly.Event, step: null))
                    logger.LogError("Weekly run {InstanceId} of event {Event} not started: {Problem}", instanceId, weekly.Event, e.Message);
                results.Add(new RunStartResult(RunStartStatus.Invalid, instanceId, e));
                continue;
            }
            results.Add(await ScheduleAsync(client, request, instanceId, cancellationToken));
        }
        return results;
    }

    private async Task<RunStartResult> ScheduleAsync(DurableTaskClient client, PipelineRunRequest request, string instanceId,
        CancellationToken cancellationToken)
    {
        using var scope = PipelineTelemetry.Begin(logger, instanceId, instanceId, request.Event, step: null);
        var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestration.Name, new PipelineRunInput(request, instanceId), options,
                cancellationToken);
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            logger.LogInformation("Run {InstanceId} of event {Event} exists already", instanceId, request.Event);
            return new RunStartResult(RunStartStatus.AlreadyExists, instanceId);
        }
        logger.LogInformation("Run {InstanceId} of event {Event} scheduled", instanceId, request.Event);
        return new RunStartResult(RunStartStatus.Started, instanceId);
    }

    /// <summary>
    /// Whether scheduling failed because the instance exists: Durable reports it as OrchestrationAlreadyExistsException
    /// (DurableTask.Core), as a gRPC AlreadyExists status from the host, or as an InvalidOperationException "... already
    /// exists", depending on the backend and version; matched by type name, status and message, inner exceptions included.
    /// </summary>
    public static bool IsAlreadyExists(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e.GetType().Name == "OrchestrationAlreadyExistsException") return true;
            if (e.GetType().Name == "RpcException" && e.GetType().GetProperty("StatusCode")?.GetValue(e)?.ToString() == "AlreadyExists") return true;
            if (e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
