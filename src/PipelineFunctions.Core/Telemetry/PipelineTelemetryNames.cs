namespace PipelineFunctions.Core.Telemetry;

/// <summary>
/// Every name the pipeline's telemetry carries, in one place: the portal's workbook and alerts query these names
/// (infra/workbooks, infra/alerts), docs/azure.md lists them, and tests hold both to this class. Renaming one is a
/// schema change: the workbook, the alerts and the docs change with it.
/// </summary>
public static class PipelineTelemetryNames
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the pipeline's spans.</summary>
    public const string ActivitySourceName = "PipelineFunctions.Pipeline";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the pipeline's instruments.</summary>
    public const string MeterName = "PipelineFunctions.Pipeline";

    /// <summary>Span names (Application Insights: the <c>name</c> of a <c>dependencies</c> row, type InProc).</summary>
    public static class Spans
    {
        /// <summary>A whole run, from its start to its end (emitted once, when the run ends).</summary>
        public const string Run = "PipelineRun";

        /// <summary>One step of a run (a child of the run's span, emitted with it).</summary>
        public const string Step = "PipelineStep";

        /// <summary>One activity invocation: the plan, step 1, each fan-out's plan, parts and fan-in, retraining, the summary.</summary>
        public const string Activity = "PipelineActivity";
    }

    /// <summary>Attribute names on spans, metric points and the run-ended log event (Application Insights: customDimensions keys).</summary>
    public static class Attributes
    {
        public const string RunId = "pipeline.run_id", InstanceId = "pipeline.instance_id", Event = "pipeline.event", Step = "pipeline.step";

        /// <summary>A run's status (<see cref="RunStatuses"/>) or a step's (the run summary's step statuses).</summary>
        public const string Status = "pipeline.status";

        /// <summary>The activity name of a <see cref="Spans.Activity"/> span.</summary>
        public const string Activity = "pipeline.activity";

        /// <summary>A fan-out part's wave and index (0-based).</summary>
        public const string Wave = "pipeline.wave", Part = "pipeline.part";

        /// <summary>A step's attempts; the run an outcome was reused from.</summary>
        public const string Attempts = "pipeline.attempts", ReusedFrom = "pipeline.reused_from";

        /// <summary>How a visitor's source sessions were chosen (step 4's generation strategies).</summary>
        public const string Strategy = "pipeline.strategy";

        /// <summary>The ranker retraining's decision (<see cref="RankerDecisions"/>).</summary>
        public const string Decision = "pipeline.ranker.decision";

        /// <summary>A run's duration in seconds and its error (empty when it completed).</summary>
        public const string DurationSeconds = "pipeline.duration_s", Error = "pipeline.error";

        /// <summary>A run's step 4 figures on its run span (absent when step 4 did not run).</summary>
        public const string VisitorsProcessed = "pipeline.visitors_processed", Recommendations = "pipeline.recommendations",
            VisitorsWithoutRecommendations = "pipeline.visitors_without_recommendations";
    }

    /// <summary>Values of <see cref="Attributes.Status"/> for a run.</summary>
    public static class RunStatuses
    {
        public const string Completed = "Completed", Failed = "Failed";
    }

    /// <summary>Values of <see cref="Attributes.Decision"/>.</summary>
    public static class RankerDecisions
    {
        /// <summary>The candidate model replaced the current one; it did not (kept the current one); the retraining failed.</summary>
        public const string Promoted = "promoted", Kept = "kept", Failed = "failed";
    }

    /// <summary>Instrument names (Application Insights: the <c>name</c> of a <c>customMetrics</c> row) and their units.</summary>
    public static class Instruments
    {
        /// <summary>Histogram, seconds, per run: <see cref="Attributes.Event"/>, <see cref="Attributes.Status"/>.</summary>
        public const string RunDuration = "pipeline.run.duration";

        /// <summary>Histogram, seconds, per step that ran or failed: event, step, status.</summary>
        public const string StepDuration = "pipeline.step.duration";

        /// <summary>Counters of step 4's figures, per run whose step 4 ran: event.</summary>
        public const string VisitorsProcessed = "pipeline.visitors.processed", Recommendations = "pipeline.recommendations",
            VisitorsWithoutRecommendations = "pipeline.visitors.without_recommendations", CapacityRefusals = "pipeline.capacity_refusals",
            Backfills = "pipeline.backfills";

        /// <summary>Counter of visitors per generation strategy, per step 4 that ran: event, strategy.</summary>
        public const string VisitorsByStrategy = "pipeline.visitors.by_strategy";

        /// <summary>Counter of retries (attempts after the first), per step: event, step.</summary>
        public const string Retries = "pipeline.retries";

        /// <summary>Counter of failed runs: event, step (the failed step, or <c>plan</c>).</summary>
        public const string Failures = "pipeline.failures";

        /// <summary>Counter of ranker retraining decisions: event, decision.</summary>
        public const string RankerDecisions = "pipeline.ranker.decisions";

        /// <summary>Histogram of the candidate model's NDCG@10 (unitless, 0 to 1) per retraining: event, decision.</summary>
        public const string RankerNdcgAt10 = "pipeline.ranker.ndcg_at_10";

        /// <summary>
        /// Counter of retrainings whose current model, scored on the newest data, fell more than the degradation margin below its
        /// score at registration: event.
        /// </summary>
        public const string RankerDegradations = "pipeline.ranker.degradations";
    }

    /// <summary>
    /// The post-show analysis's headline figures (histograms, one point per analysis: event): the uplift of the share of
    /// visitors who attended a recommended session (treatment - control, unitless), its 95 % interval and its p-value;
    /// and the log event that carries the same figures.
    /// </summary>
    public static class PostShowAnalysis
    {
        public const string AttendanceUplift = "pipeline.analysis.attendance_uplift",
            AttendanceUpliftCiLow = "pipeline.analysis.attendance_uplift.ci_low",
            AttendanceUpliftCiHigh = "pipeline.analysis.attendance_uplift.ci_high",
            AttendanceUpliftPValue = "pipeline.analysis.attendance_uplift.p_value";

        public const int EventId = 1410;

        public const string EventName = "PostShowAnalysisCompleted";
    }

    /// <summary>Units (UCUM, as OpenTelemetry writes them).</summary>
    public static class Units
    {
        public const string Seconds = "s", Visitors = "{visitor}", Recommendations = "{recommendation}", Refusals = "{refusal}",
            Retries = "{retry}", Runs = "{run}", Decisions = "{decision}", Ratio = "1", Degradations = "{degradation}";
    }

    /// <summary>The one log event of a run's end (Application Insights: a <c>traces</c> row; its fields are customDimensions).</summary>
    public static class RunEnded
    {
        public const int EventId = 1400;

        /// <summary>The event's name (customDimensions.EventName) and its logger's category.</summary>
        public const string EventName = "PipelineRunEnded", Category = "PipelineFunctions.Pipeline.Runs";

        /// <summary>Its fields: <see cref="Attributes.Status"/>, event, run id, instance id, duration and error.</summary>
        public static IReadOnlyList<string> Fields { get; } =
            [Attributes.Status, Attributes.Event, Attributes.RunId, Attributes.InstanceId, Attributes.DurationSeconds, Attributes.Error];
    }

    /// <summary>Where the exporter puts a log event's id and name, and how weekly runs' instance ids start.</summary>
    public static class Conventions
    {
        /// <summary>customDimensions keys the Azure Monitor exporter sets from a log's EventId.</summary>
        public const string EventIdKey = "EventId", EventNameKey = "EventName";

        /// <summary>Every weekly run's instance id starts with this (Core's WeeklyRun).</summary>
        public const string WeeklyInstancePrefix = "weekly-";

        /// <summary>The Application Insights tables the exporter writes these names to, and the columns the portal reads.</summary>
        public static IReadOnlyList<string> Tables { get; } = ["customMetrics", "dependencies", "traces", "requests"];

        public static IReadOnlyList<string> Columns { get; } =
        [
            "timestamp", "name", "duration", "success", "customDimensions", "message", "severityLevel", "operation_Id", "itemCount",
            "value", "valueSum", "valueCount", "valueMin", "valueMax",
        ];
    }
}
