namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// How far this year's visitors drift from last year's (both past shows' valid registrations): the population stability
/// index of each similarity attribute and of the stream mix, in step 1's metadata.
/// </summary>
/// <param name="NotMeasured">Why there are no indicators (no past registrations); null when there are.</param>
public sealed record DataDrift(double Threshold, int VisitorsThisYear, int VisitorsPast, IReadOnlyList<DriftIndicator> Indicators,
    string? NotMeasured = null)
{
    /// <summary>The name of the stream mix's indicator (the others are named after their attribute).</summary>
    public const string StreamMix = "stream_mix";

    public IEnumerable<DriftIndicator> AboveThreshold => Indicators.Where(i => i.AboveThreshold);

    /// <summary>The warning a drifted indicator gives, in the run summary and the log.</summary>
    public static string WarningFor(DriftIndicator indicator, double threshold) =>
        $"data drift: {(indicator.Name == StreamMix ? "the stream mix" : $"attribute '{indicator.Name}'")} has PSI "
        + $"{indicator.Psi.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} between last year's visitors and this year's, above "
        + $"{threshold.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"
        + (indicator.Bins.Count > 0 ? $" (most shifted: '{indicator.Bins[0].Category}')" : "");
}
