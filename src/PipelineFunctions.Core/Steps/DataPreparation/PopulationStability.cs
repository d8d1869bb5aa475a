namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// The population stability index of a categorical distribution: PSI = Σ (actual − expected) · ln(actual / expected) over
/// the categories, each side as shares of its total. Every category seen in either year is a bin; a share of zero (a
/// category absent in one year) is floored at <see cref="EmptyBinShare"/>, so the absence counts instead of dividing by zero.
/// </summary>
public static class PopulationStability
{
    /// <summary>
    /// The share an empty bin counts as. Small enough that a category of a few visitors barely moves the index, large enough
    /// that a category with a real share (5 %) absent in the other year adds about 0.3: above the usual 0.2 threshold.
    /// </summary>
    public const double EmptyBinShare = 1e-4;

    /// <summary>One category's shares and what it adds to the index.</summary>
    public sealed record Bin(string Category, double ExpectedShare, double ActualShare, double Contribution);

    /// <summary>
    /// The index of <paramref name="actual"/> (this year) against <paramref name="expected"/> (last year), from weights per category.
    /// </summary>
    public static double Index(IReadOnlyDictionary<string, double> expected, IReadOnlyDictionary<string, double> actual) =>
        Bins(expected, actual).Sum(b => b.Contribution);

    /// <summary>
    /// The chance that sampling alone gives an index this large when both years come from one population: PSI is the
    /// symmetric Kullback-Leibler divergence, and n·m/(n+m)·PSI is then about χ² with (categories − 1) degrees of freedom,
    /// for <paramref name="expectedCount"/> = m and <paramref name="actualCount"/> = n visitors. 1 with a single category.
    /// </summary>
    public static double SamplingPValue(double psi, int categories, double expectedCount, double actualCount)
    {
        if (categories < 2 || expectedCount <= 0 || actualCount <= 0) return 1;
        var statistic = psi * expectedCount * actualCount / (expectedCount + actualCount);
        return 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(categories - 1, statistic);
    }

    /// <summary>Every category of either side with its shares and contribution, largest contribution first.</summary>
    public static IReadOnlyList<Bin> Bins(IReadOnlyDictionary<string, double> expected, IReadOnlyDictionary<string, double> actual)
    {
        var expectedTotal = Total(expected, nameof(expected));
        var actualTotal = Total(actual, nameof(actual));
        return expected.Keys.Union(actual.Keys, StringComparer.Ordinal)
            .Select(category =>
            {
                var e = Math.Max(expected.GetValueOrDefault(category) / expectedTotal, EmptyBinShare);
                var a = Math.Max(actual.GetValueOrDefault(category) / actualTotal, EmptyBinShare);
                return new Bin(category, e, a, (a - e) * Math.Log(a / e));
            })
            .OrderByDescending(b => b.Contribution).ThenBy(b => b.Category, StringComparer.Ordinal)
            .ToList();
    }

    private static double Total(IReadOnlyDictionary<string, double> weights, string side)
    {
        if (weights.Values.Any(w => w < 0 || !double.IsFinite(w)))
            throw new ArgumentException("category weights must be finite and not negative", side);
        var total = weights.Values.Sum();
        return total > 0 ? total : throw new ArgumentException("a distribution needs a positive total weight", side);
    }
}
