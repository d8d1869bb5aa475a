namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>
/// One metric in one segment, treatment against control: each group's value, the difference (treatment - control) with
/// its 95 % confidence interval, and the p-value of the test named. Values are null where a group has too few visitors.
/// </summary>
public sealed record MetricComparison(
    string Metric, string Segment, string Test, long TreatmentVisitors, long ControlVisitors, double? Treatment, double? Control,
    double? Difference, double? CiLow, double? CiHigh, double? PValue)
{
    /// <summary>The difference is significant at the 5 % level (the interval then excludes 0 as well, up to the tests' approximations).</summary>
    public bool Significant => PValue is < 0.05;
}
