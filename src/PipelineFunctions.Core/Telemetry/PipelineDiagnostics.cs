using System.Diagnostics;
using System.Diagnostics.Metrics;
using Names = PipelineFunctions.Core.Telemetry.PipelineTelemetryNames;

namespace PipelineFunctions.Core.Telemetry;

/// <summary>
/// The pipeline's <see cref="ActivitySource"/> and <see cref="Meter"/> with their instruments (System.Diagnostics only:
/// the host decides what listens, OpenTelemetry in Azure). Static, as .NET's guidance has it for sources and meters.
/// </summary>
internal static class PipelineDiagnostics
{
    public static readonly ActivitySource Source = new(Names.ActivitySourceName);

    public static readonly Meter Meter = new(Names.MeterName);

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(Names.Instruments.RunDuration, Names.Units.Seconds,
        "Duration of a pipeline run, from its start to its end");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(Names.Instruments.StepDuration, Names.Units.Seconds,
        "Duration of a step that ran (not reused) or failed");

    public static readonly Counter<long> VisitorsProcessed = Meter.CreateCounter<long>(Names.Instruments.VisitorsProcessed, Names.Units.Visitors,
        "Visitors step 4 scored");

    public static readonly Counter<long> Recommendations = Meter.CreateCounter<long>(Names.Instruments.Recommendations,
        Names.Units.Recommendations, "Sessions recommended by step 4, over all agendas");

    public static readonly Counter<long> VisitorsWithoutRecommendations = Meter.CreateCounter<long>(
        Names.Instruments.VisitorsWithoutRecommendations, Names.Units.Visitors, "Visitors step 4 left with an empty agenda");

    public static readonly Counter<long> CapacityRefusals = Meter.CreateCounter<long>(Names.Instruments.CapacityRefusals, Names.Units.Refusals,
        "Sessions step 4 left out of an agenda because the theatre was full");

    public static readonly Counter<long> Backfills = Meter.CreateCounter<long>(Names.Instruments.Backfills, Names.Units.Visitors,
        "Visitors whose agenda step 4 filled up from further candidates");

    public static readonly Counter<long> VisitorsByStrategy = Meter.CreateCounter<long>(Names.Instruments.VisitorsByStrategy, Names.Units.Visitors,
        "Visitors step 4 scored, per generation strategy");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(Names.Instruments.Retries, Names.Units.Retries,
        "Attempts of a step after its first");

    public static readonly Counter<long> Failures = Meter.CreateCounter<long>(Names.Instruments.Failures, Names.Units.Runs, "Failed runs");

    public static readonly Counter<long> RankerDecisions = Meter.CreateCounter<long>(Names.Instruments.RankerDecisions, Names.Units.Decisions,
        "Ranker retrainings, per decision");

    public static readonly Histogram<double> RankerNdcgAt10 = Meter.CreateHistogram<double>(Names.Instruments.RankerNdcgAt10, Names.Units.Ratio,
        "NDCG@10 of the retrained candidate model");

    public static readonly Counter<long> RankerDegradations = Meter.CreateCounter<long>(Names.Instruments.RankerDegradations,
        Names.Units.Degradations, "Retrainings that found the current ranker model degraded on the newest data");

    public static readonly Histogram<double> AttendanceUplift = Meter.CreateHistogram<double>(Names.PostShowAnalysis.AttendanceUplift,
        Names.Units.Ratio, "Post-show analysis: share of visitors who attended a recommended session, treatment minus control");

    public static readonly Histogram<double> AttendanceUpliftCiLow = Meter.CreateHistogram<double>(Names.PostShowAnalysis.AttendanceUpliftCiLow,
        Names.Units.Ratio, "Post-show analysis: lower end of the 95 % interval of the attendance uplift");

    public static readonly Histogram<double> AttendanceUpliftCiHigh = Meter.CreateHistogram<double>(
        Names.PostShowAnalysis.AttendanceUpliftCiHigh, Names.Units.Ratio,
        "Post-show analysis: upper end of the 95 % interval of the attendance uplift");

    public static readonly Histogram<double> AttendanceUpliftPValue = Meter.CreateHistogram<double>(
        Names.PostShowAnalysis.AttendanceUpliftPValue, Names.Units.Ratio, "Post-show analysis: p-value of the attendance uplift");

    /// <summary>A span for one activity invocation, tagged with its run, event, step and (for a part) wave and index.</summary>
    public static Activity? StartActivitySpan(string activity, string runId, string eventName, string step, int? wave = null, int? part = null)
    {
        var span = Source.StartActivity(Names.Spans.Activity, ActivityKind.Internal);
        if (span is null) return null;
        span.DisplayName = Names.Spans.Activity;
        span.SetTag(Names.Attributes.Activity, activity);
        span.SetTag(Names.Attributes.RunId, runId);
        span.SetTag(Names.Attributes.InstanceId, runId);
        span.SetTag(Names.Attributes.Event, eventName);
        span.SetTag(Names.Attributes.Step, step);
        if (wave is { } w) span.SetTag(Names.Attributes.Wave, w);
        if (part is { } p) span.SetTag(Names.Attributes.Part, p);
        return span;
    }
}
