using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Steps.Recommendations;
using Names = PipelineFunctions.Core.Telemetry.PipelineTelemetryNames;

namespace PipelineFunctions.Core.Telemetry;

/// <summary>
/// What a run's end emits, once per run (from the RecordRunEnd activity, so an orchestrator replay repeats none of it):
/// the run's span with one child span per step (their start and end times are the summary's), the run's metrics, taken
/// from the figures the steps computed (step 4's counts, attempts, the retraining's decision), and the run-ended log event.
/// </summary>
internal sealed class RunEndTelemetry(ILoggerFactory loggers)
{
    private static readonly Action<ILogger, string, string, string, string, double, string, Exception?> Completed = Define(LogLevel.Information);

    private static readonly Action<ILogger, string, string, string, string, double, string, Exception?> Failed = Define(LogLevel.Error);

    public void Record(RunEndedInput input)
    {
        var summary = input.Summary;
        var failed = summary.Status == StepStatuses.Failed;
        var status = failed ? Names.RunStatuses.Failed : Names.RunStatuses.Completed;
        var startedAt = Utc(summary.StartedAt);
        var finishedAt = Utc(summary.FinishedAt) is var end && end > startedAt ? end : startedAt;
        var duration = (finishedAt - startedAt).TotalSeconds;
        var recommendations = summary.Steps.FirstOrDefault(s => s.Step == PipelineSteps.Recommendations && s.Status == StepStatuses.Succeeded);

        using (var run = PipelineDiagnostics.Source.StartActivity(Names.Spans.Run, ActivityKind.Internal, default(ActivityContext),
            startTime: startedAt))
        {
            if (run is not null)
            {
                Tag(run, summary, input.InstanceId, step: null);
                run.SetTag(Names.Attributes.Status, status);
                run.SetTag(Names.Attributes.DurationSeconds, duration);
                if (recommendations is not null)
                {
                    run.SetTag(Names.Attributes.VisitorsProcessed, recommendations.Metrics.GetValueOrDefault(RecommendationCounts.VisitorsProcessed));
                    run.SetTag(Names.Attributes.Recommendations, recommendations.Metrics.GetValueOrDefault(RecommendationCounts.Recommendations));
                    run.SetTag(Names.Attributes.VisitorsWithoutRecommendations,
                        recommendations.Metrics.GetValueOrDefault(RecommendationCounts.VisitorsWithoutRecommendations));
                }
                if (failed) run.SetStatus(ActivityStatusCode.Error, summary.Error);
                foreach (var step in summary.Steps) StepSpan(summary, input.InstanceId, step, startedAt, finishedAt);
                run.SetEndTime(finishedAt.UtcDateTime);
            }
        }

        RecordMetrics(summary, status, duration, recommendations);
        var logger = loggers.CreateLogger(Names.RunEnded.Category);
        (failed ? Failed : Completed)(logger, summary.RunId, summary.Event, input.InstanceId, status, duration, summary.Error ?? "", null);
    }

    private static void StepSpan(RunSummary summary, string instanceId, StepOutcome step, DateTimeOffset runStart, DateTimeOffset runEnd)
    {
        // A reused step's times are the earlier run's: its span sits inside this run's.
        var start = step.StartedAt < runStart || step.StartedAt > runEnd ? runStart : step.StartedAt;
        var end = step.FinishedAt < start || step.FinishedAt > runEnd ? start : step.FinishedAt;
        using var span = PipelineDiagnostics.Source.StartActivity(Names.Spans.Step, ActivityKind.Internal, default(ActivityContext),
            startTime: start);
        if (span is null) return;
        Tag(span, summary, instanceId, step.Step);
        span.SetTag(Names.Attributes.Status, step.Status);
        span.SetTag(Names.Attributes.Attempts, step.Attempts);
        if (step.ReusedFromRunId is { } reusedFrom) span.SetTag(Names.Attributes.ReusedFrom, reusedFrom);
        if (step.Status == StepStatuses.Failed) span.SetStatus(ActivityStatusCode.Error, step.Error);
        span.SetEndTime(end.UtcDateTime);
    }

    private static void RecordMetrics(RunSummary summary, string status, double duration, StepOutcome? recommendations)
    {
        var eventTag = new KeyValuePair<string, object?>(Names.Attributes.Event, summary.Event);
        PipelineDiagnostics.RunDuration.Record(duration, eventTag, new(Names.Attributes.Status, status));
        foreach (var step in summary.Steps)
        {
            var stepTag = new KeyValuePair<string, object?>(Names.Attributes.Step, step.Step);
            if (step.Status is StepStatuses.Succeeded or StepStatuses.Failed)
                PipelineDiagnostics.StepDuration.Record(Math.Max(0, (step.FinishedAt - step.StartedAt).TotalSeconds), eventTag, stepTag,
                    new(Names.Attributes.Status, step.Status));
            if (step.Attempts > 1) PipelineDiagnostics.Retries.Add(step.Attempts - 1, eventTag, stepTag);
        }
        if (summary.Status == StepStatuses.Failed)
        {
            var failedStep = summary.Steps.LastOrDefault(s => s.Status == StepStatuses.Failed)?.Step ?? "plan";
            PipelineDiagnostics.Failures.Add(1, eventTag, new(Names.Attributes.Step, failedStep));
        }
        if (recommendations is not null)
        {
            long Count(string key) => recommendations.Metrics.GetValueOrDefault(key);
            PipelineDiagnostics.VisitorsProcessed.Add(Count(RecommendationCounts.VisitorsProcessed), eventTag);
            PipelineDiagnostics.Recommendations.Add(Count(RecommendationCounts.Recommendations), eventTag);
            PipelineDiagnostics.VisitorsWithoutRecommendations.Add(Count(RecommendationCounts.VisitorsWithoutRecommendations), eventTag);
            PipelineDiagnostics.CapacityRefusals.Add(Count(RecommendationCounts.CapacityRefusals), eventTag);
            PipelineDiagnostics.Backfills.Add(Count(RecommendationCounts.BackfilledVisitors), eventTag);
        }
        if (summary.Retraining is { } retraining)
        {
            // The orchestration records a failed retraining as an outcome without a candidate.
            var decision = retraining.Promoted ? Names.RankerDecisions.Promoted
                : retraining.Candidate.Length == 0 ? Names.RankerDecisions.Failed : Names.RankerDecisions.Kept;
            var decisionTag = new KeyValuePair<string, object?>(Names.Attributes.Decision, decision);
            PipelineDiagnostics.RankerDecisions.Add(1, eventTag, decisionTag);
            if (decision != Names.RankerDecisions.Failed)
                PipelineDiagnostics.RankerNdcgAt10.Record(retraining.CandidateNdcgAt10, eventTag, decisionTag);
            if (retraining.Degradation is not null) PipelineDiagnostics.RankerDegradations.Add(1, eventTag);
        }
    }

    private static void Tag(Activity span, RunSummary summary, string instanceId, string? step)
    {
        span.SetTag(Names.Attributes.RunId, summary.RunId);
        span.SetTag(Names.Attributes.InstanceId, instanceId);
        span.SetTag(Names.Attributes.Event, summary.Event);
        if (step is not null) span.SetTag(Names.Attributes.Step, step);
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>The event's fields are the template's holes, so each is its own customDimensions key in Application Insights.</summary>
    private static Action<ILogger, string, string, string, string, double, string, Exception?> Define(LogLevel level) =>
        LoggerMessage.Define<string, string, string, string, double, string>(level,
            new EventId(Names.RunEnded.EventId, Names.RunEnded.EventName),
            $"Run {{{Names.Attributes.RunId}}} of event {{{Names.Attributes.Event}}} (instance {{{Names.Attributes.InstanceId}}}) ended "
            + $"{{{Names.Attributes.Status}}} after {{{Names.Attributes.DurationSeconds}}} s. {{{Names.Attributes.Error}}}",
            new LogDefineOptions { SkipEnabledCheck = false });
}
