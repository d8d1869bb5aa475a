using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;

namespace PipelineFunctions.Core.Reporting;

/// <summary>
/// A run's activities as timeline rows: each labelled with its step and, for a fanned-out step, its part ("embeddings:
/// batch 3 of 8"), taken from the results the orchestration recorded (the fan-out plan, each part's wave and index).
/// </summary>
public static class RunTimeline
{
    public static IReadOnlyList<TimelineBar> Build(DateTime runStart, IReadOnlyList<ActivityRun> activities, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(notes);
        var plans = new Dictionary<string, FanOutPlan>(StringComparer.Ordinal);
        var bars = new List<TimelineBar>();
        var withoutStart = 0;
        foreach (var activity in activities)
        {
            var (step, label, status) = Describe(activity, plans);
            if (activity.StartedAt is not { } startedAt)
            {
                withoutStart++;
                continue;
            }
            bars.Add(new TimelineBar(label, step, Seconds(startedAt - runStart), Seconds(activity.FinishedAt - runStart),
                activity.Failed ? StepStatuses.Failed : status));
        }
        if (withoutStart > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{withoutStart} activities were recorded without their start time (by an older version) and are not on the timeline"));
        return bars;
    }

    private static (string Step, string Label, string Status) Describe(ActivityRun activity, Dictionary<string, FanOutPlan> plans)
    {
        switch (activity.Name)
        {
            case PipelineActivityNames.PlanRun: return ("plan", "plan", StepStatuses.Succeeded);
            case PipelineActivityNames.PrepareData: return (PipelineSteps.DataPreparation, PipelineSteps.DataPreparation, StepStatuses.Succeeded);
            case PipelineActivityNames.RetrainRanker: return ("retraining", "retraining", StepStatuses.Succeeded);
            case PipelineActivityNames.AnalysePostShow:
                return (PipelineSteps.PostShowAnalysis, "post-show analysis", StepStatuses.Succeeded);
            case PipelineActivityNames.PublishRunSummary: return ("summary", "run summary", StepStatuses.Succeeded);
            case PipelineActivityNames.NotifyRunEnded: return ("end", "notification", StepStatuses.Succeeded);
            case PipelineActivityNames.RecordRunEnd: return ("end", "run-end telemetry", StepStatuses.Succeeded);
            case PipelineActivityNames.ReuseStep:
                var reused = Result<StepOutcome>(activity)?.Step ?? "step";
                return (reused, $"{reused}: reused", StepStatuses.Reused);
        }
        foreach (var step in PipelineSteps.All)
        {
            if (PipelineActivityNames.FanOutFor(step) is not { } names) continue;
            if (activity.Name == names.Begin)
            {
                var plan = Result<FanOutPlan>(activity);
                if (plan is not null) plans[step] = plan;
                return plan?.Reused is not null ? (step, $"{step}: reused", StepStatuses.Reused) : (step, $"{step}: plan", StepStatuses.Succeeded);
            }
            if (activity.Name == names.Finish) return (step, $"{step}: fan-in", StepStatuses.Succeeded);
            if (activity.Name != names.Part) continue;
            var unit = plans.TryGetValue(step, out var known) ? Singular(known.Unit) : "part";
            if (Result<StepPartResult>(activity) is not { } part) return (step, $"{step}: {unit}", StepStatuses.Succeeded);
            var wave = known is not null && known.Waves.Count > 1 ? $"wave {part.Wave + 1}, " : "";
            var of = known is not null && part.Wave < known.Waves.Count ? $" of {known.Waves[part.Wave]}" : "";
            return (step, $"{step}: {wave}{unit} {part.Index + 1}{of}", part.Reused ? StepStatuses.Reused : StepStatuses.Succeeded);
        }
        return (activity.Name, activity.Name, StepStatuses.Succeeded);
    }

    private static T? Result<T>(ActivityRun activity) where T : class
    {
        if (activity.Failed || string.IsNullOrEmpty(activity.ResultJson)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(activity.ResultJson, PipelineJson.Options);
        }
        catch (JsonException)
        {
            return null; // only the label is lost: the bar is still drawn
        }
    }

    /// <summary>"shards" to "shard", "batches" to "batch": the fan-out plans name their units in the plural.</summary>
    private static string Singular(string unit) =>
        unit.EndsWith("ches", StringComparison.Ordinal) ? unit[..^2] : unit.EndsWith('s') ? unit[..^1] : unit;

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);
}
