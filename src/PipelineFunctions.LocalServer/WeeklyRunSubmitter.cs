using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.LocalEngine.Orchestration;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Submits an event's weekly run: Core's <see cref="WeeklyRun"/> request (incremental, with retraining) under its ISO-week
/// instance id, checked like an HTTP submission. Safe to call any number of times, from any number of threads or
/// processes, for the same week: the run store creates the id once.
/// </summary>
internal sealed class WeeklyRunSubmitter(EmbeddedOrchestrationRunner runner, SubmissionValidator validator, ILogger<WeeklyRunSubmitter> logger)
{
    public async Task<WeeklySubmissionResult> SubmitAsync(
        ScheduledEvent scheduled, DateTimeOffset occurrence, CancellationToken cancellationToken = default)
    {
        var id = WeeklyRun.InstanceId(scheduled.Event, occurrence);
        PipelineRunRequest request;
        try
        {
            request = validator.Validate(WeeklyRun.Request(scheduled.Event, scheduled.Input));
        }
        catch (PipelineInputException e)
        {
            logger.LogError("Weekly run {InstanceId} of event {Event} not started: {Field}: {Problem}", id, scheduled.Event, e.Field, e.Problem);
            return WeeklySubmissionResult.Rejected;
        }
        try
        {
            await runner.StartAsync(request, id, cancellationToken);
            logger.LogInformation("Weekly run {InstanceId} of event {Event} started", id, scheduled.Event);
            return WeeklySubmissionResult.Started;
        }
        catch (RunnerShuttingDownException)
        {
            logger.LogWarning("Weekly run {InstanceId} of event {Event} not started: the server is shutting down", id, scheduled.Event);
            return WeeklySubmissionResult.ShuttingDown;
        }
        catch (InstanceExistsException)
        {
            logger.LogInformation("Weekly run {InstanceId} of event {Event} exists already", id, scheduled.Event);
            return WeeklySubmissionResult.AlreadyExists;
        }
    }
}
