using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Waits for each occurrence of the host config's schedule and submits every configured event's weekly run. An
/// occurrence missed while the server was down is not made up (start it with the API or `pa run`).
/// </summary>
internal sealed class WeeklyScheduleService(HostConfig config, WeeklyRunSubmitter submitter, TimeProvider time, ILogger<WeeklyScheduleService> logger)
    : BackgroundService
{
    /// <summary>Longest single wait: the clock is read again at least this often, so a changed system clock is noticed.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly WeeklySchedule _schedule = new(config.Schedule);

    /// <summary>The occurrence the service waits for next (null before it started).</summary>
    public DateTimeOffset? NextOccurrence { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = _schedule.NextAfter(time.GetUtcNow());
        while (!stoppingToken.IsCancellationRequested)
        {
            NextOccurrence = next;
            logger.LogInformation("Next weekly run at {Occurrence:O} for {Events}", next, string.Join(", ", config.Events.Select(e => e.Event)));
            for (var now = time.GetUtcNow(); now < next; now = time.GetUtcNow())
                await Task.Delay(Min(next - now, MaxWait), time, stoppingToken);
            foreach (var scheduled in config.Events)
            {
                try
                {
                    await submitter.SubmitAsync(scheduled, next, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One event's failure (say, a locked store) must not stop the others or the schedule.
                    logger.LogError(e, "Weekly run of event {Event} could not be submitted", scheduled.Event);
                }
            }
            // After a long sleep (suspended machine) skip the occurrences already past rather than firing them in a burst.
            var current = time.GetUtcNow();
            next = _schedule.NextAfter(next > current ? next : current);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
