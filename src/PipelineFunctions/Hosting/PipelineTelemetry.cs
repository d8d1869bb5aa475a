using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Telemetry;

namespace PipelineFunctions.Hosting;

/// <summary>
/// Run id, instance id, event and step on every log and trace of an orchestrator or activity invocation: a logging
/// scope (exported as log attributes; every logger of the app's factory shares it, Core's included) and the same values
/// as tags and baggage of the current trace activity, which <c>PipelineTagsProcessor</c> copies onto every child span
/// (Azure SDK, HTTP, Neo4j calls). No Functions SDK type here: tested offline.
/// </summary>
internal static class PipelineTelemetry
{
    // Core's telemetry schema: the same names as the pipeline's own spans, metrics and run-ended event.
    public const string RunId = PipelineTelemetryNames.Attributes.RunId, InstanceId = PipelineTelemetryNames.Attributes.InstanceId,
        Event = PipelineTelemetryNames.Attributes.Event, Step = PipelineTelemetryNames.Attributes.Step;

    public static readonly IReadOnlyList<string> Tags = [RunId, InstanceId, Event, Step];

    public static IDisposable? Begin(ILogger logger, string runId, string instanceId, string eventName, string? step)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["runId"] = runId, ["instanceId"] = instanceId, ["event"] = eventName, ["step"] = step,
        };
        if (Activity.Current is { } activity)
        {
            foreach (var (tag, value) in new[] { (RunId, runId), (InstanceId, instanceId), (Event, eventName), (Step, step) })
            {
                if (value is null) continue;
                activity.SetTag(tag, value);
                activity.SetBaggage(tag, value);
            }
        }
        return logger.BeginScope(values);
    }

    /// <summary>Copies the pipeline's baggage (set by <see cref="Begin"/> on an ancestor) onto a starting span as tags.</summary>
    public static void CopyTags(Activity activity)
    {
        foreach (var tag in Tags)
            if (activity.GetTagItem(tag) is null && activity.GetBaggageItem(tag) is { } value)
                activity.SetTag(tag, value);
    }
}
