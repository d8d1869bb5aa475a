using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// The weekly incremental run with ranker retraining, per configured event (WEEKLY_RETRAIN_EVENTS), on the
/// WEEKLY_RETRAIN_SCHEDULE (NCRONTAB with seconds, UTC). The instance id is fixed by the ISO week of the occurrence the
/// firing stands for (a past-due firing after a restart names the week it was due in) and the start is atomic, so however
/// often the timer fires (restarts, scale-out, a past-due run caught up) a week runs once per event.
/// </summary>
public sealed class WeeklyRetrainFunction(IOptions<AzureHostOptions> settings, PipelineRunStarter starter, TimeProvider time)
{
    [Function("WeeklyRetrain")]
    public async Task RunAsync([TimerTrigger("%WEEKLY_RETRAIN_SCHEDULE%")] TimerInfo timer, [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        await starter.StartWeeklyAsync(client, settings.Value.WeeklyEvents, settings.Value.WeeklySchedule.OccurrenceFiredAt(time.GetUtcNow()),
            cancellationToken);
}
