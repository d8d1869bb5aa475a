using System.Globalization;
using PipelineFunctions.Core.Telemetry;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The weekly run of an event, as both hosts' schedules start it: incremental, with ranker retraining, under an
/// instance id fixed by the ISO week, so a week runs once per event however often or concurrently it is started.
/// </summary>
public static class WeeklyRun
{
    /// <summary>weekly-&lt;event&gt;-&lt;ISO year&gt;-W&lt;ISO week, two digits&gt;, from the occurrence's UTC date.</summary>
    public static string InstanceId(string eventName, DateTimeOffset occurrence)
    {
        var date = occurrence.UtcDateTime;
        const string prefix = PipelineTelemetryNames.Conventions.WeeklyInstancePrefix;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{eventName}-{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
    }

    public static PipelineRunRequest Request(string eventName, string input) => new(eventName, input, Incremental: true, Retrain: true);
}
