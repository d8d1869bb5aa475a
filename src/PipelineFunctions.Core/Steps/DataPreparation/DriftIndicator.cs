namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>One attribute's population stability index, and its most shifted categories (at most <see cref="BinsKept"/>).</summary>
public sealed record DriftIndicator(string Name, double Psi, bool AboveThreshold, int Categories, IReadOnlyList<PopulationStability.Bin> Bins)
{
    /// <summary>Categories listed per indicator in the metadata: the ones that explain the index (a country list could be long).</summary>
    public const int BinsKept = 10;
}
