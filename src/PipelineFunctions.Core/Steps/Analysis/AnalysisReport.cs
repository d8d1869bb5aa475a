using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>
/// analysis.json: what was compared (the run whose exports were analysed, group sizes, k), how the scans matched,
/// every metric × segment comparison and the tolerated input problems.
/// </summary>
/// <param name="RecommendationsRunId">The run whose step 4 wrote the analysed exports (an earlier run's when step 4 was reused).</param>
/// <param name="K">Hit rate at k looks at the first k recommended sessions (config recommendation.max_recommendations).</param>
public sealed record AnalysisReport(
    string Step, string Event, string RunId, string RecommendationsRunId, int K, DateTimeOffset CreatedAt, long TreatmentVisitors,
    long ControlVisitors, IReadOnlyDictionary<string, long> ScanCounts, IReadOnlyList<MetricComparison> Metrics,
    IReadOnlyList<PreparationWarning> Warnings)
{
    /// <summary>The comparison of a metric in a segment; throws when the report has none.</summary>
    public MetricComparison Find(string metric, string segment = AnalysisMetrics.AllVisitors) =>
        Metrics.FirstOrDefault(m => m.Metric == metric && m.Segment == segment)
        ?? throw new KeyNotFoundException($"the analysis has no {metric} for segment {segment}");
}
