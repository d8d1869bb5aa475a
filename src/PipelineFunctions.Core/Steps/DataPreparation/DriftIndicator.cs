namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>One attribute's population stability index, and its most shifted categories (at most <see cref="BinsKept"/>).</summary>
/// <param name="AboveThreshold">Above the threshold and beyond sampling noise (<see cref="SamplingPValue"/> under
/// <see cref="NoiseLevel"/>): warned.</param>
public sealed record DriftIndicator(string Name, double Psi, bool AboveThreshold, int Categories, IReadOnlyList<PopulationStability.Bin> Bins)
{
    /// <summary>A PSI that sampling alone would reach more often than this is not warned, however high.</summary>
    public const double NoiseLevel = 0.01;

    /// <summary>The chance that sampling alone gives this PSI (<see cref="PopulationStability.SamplingPValue"/>).</summary>
    public double SamplingPValue { get; init; } = 1;

    /// <summary>Categories listed per indicator in the metadata: the ones that explain the index (a country list could be long).</summary>
    public const int BinsKept = 10;
}
