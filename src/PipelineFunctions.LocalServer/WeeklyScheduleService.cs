using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Waits for each occurrence of the host config's schedule and submits every configured event's weekly run. On start it
/// first makes up the latest occurrence missed while the server was down, when it lies within the config's catch-up
/// window: once per event, never a burst of older ones, and once however many servers start (the instance id is the week's).
/// </summary>
internal sealed class WeeklyScheduleService(HostConfig config, WeeklyRunSubmitter submitter, TimeProvider time, ILogger<WeeklyScheduleService> logger)
    : BackgroundService
{
    /// <summary>Longest single wait: the clock is read again at least this often, so a changed system clock is noticed.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly WeeklySchedule _schedule = new(config.Schedule);

    /// <summary>The occurrence the service waits for next (null before it started).</summary>
    public DateTimeOffset? NextOccurrence { get; private set; }

    /// <summary>
    /// Submits each event's run of the latest occurrence within the catch-up window before now, unless its instance exists
    /// (it ran, or another server made it up first). Returns what each submission did; empty when nothing was missed.
    /// </summary>
    public Task<IReadOnlyList<(ScheduledEvent Event, DateTimeOffset Occurrence, WeeklySubmissionResult Result)>> CatchUpAsync(
        CancellationToken cancellationToken) => CatchUpAsync(time.GetUtcNow(), cancellationToken);

    private async Task<IReadOnlyList<(ScheduledEvent Event, DateTimeOffset Occurrence, WeeklySubmissionResult Result)>> CatchUpAsync(
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_schedule.LatestWithin(now, config.CatchUp) is not { } missed) return [];
        var results = new List<(ScheduledEvent, DateTimeOffset, WeeklySubmissionResult)>();
        foreach (var scheduled in config.Events)
        {
            var result = await SubmitAsync(scheduled, missed, cancellationToken);
            if (result is not { } submitted) continue;
            results.Add((scheduled, missed, submitted));
            var id = WeeklySchedule.InstanceId(scheduled.Event, missed);
            // A warning, so `pa serve` shows it without --verbose: a run starting by itself at start-up must be explained.
            if (submitted == WeeklySubmissionResult.Started)
                logger.LogWarning("weekly run {InstanceId} missed at {Occurrence:yyyy-MM-dd HH:mm:ss}Z (catch-up window {CatchUp}): started now",
                    id, missed, config.CatchUp);
            else if (submitted == WeeklySubmissionResult.AlreadyExists)
                logger.LogInformation("weekly run {InstanceId} of {Occurrence:yyyy-MM-dd HH:mm:ss}Z exists already: nothing to catch up", id, missed);
        }
        return results;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow();
        await CatchUpAsync(started, stoppingToken);
        // The first occurrence after the catch-up's: one that passed while the catch-up ran is still submitted below.
        var next = _schedule.NextAfter(started);
        while (!stoppingToken.IsCancellationRequested)
        {
            NextOccurrence = next;
            logger.LogInformation("Next weekly run at {Occurrence:O} for {Events}", next, string.Join(", ", config.Events.Select(e => e.Event)));
            for (var now = time.GetUtcNow(); now < next; now = time.GetUtcNow())
                await Task.Delay(Min(next - now, MaxWait), time, stoppingToken);
            foreach (var scheduled in config.Events) await SubmitAsync(scheduled, next, stoppingToken);
            // After a long sleep (suspended machine) skip the occurrences already past rather than firing them in a burst.
            var current = time.GetUtcNow();
            next = _schedule.NextAfter(next > current ? next : current);
        }
    }

    /// <summary>The submission's result, or null when it failed (logged).</summary>
    private async Task<WeeklySubmissionResult?> SubmitAsync(ScheduledEvent scheduled, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        try
        {
            return await submitter.SubmitAsync(scheduled, occurrence, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One event's failure (say, a locked store) must not stop the others or the schedule.
            logger.LogError(e, "Weekly run of event {Event} could not be submitted", scheduled.Event);
            return null;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
