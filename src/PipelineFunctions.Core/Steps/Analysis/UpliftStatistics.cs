using MathNet.Numerics.Distributions;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>
/// Treatment against control for one metric. Shares: Newcombe's hybrid score interval of the difference (good coverage
/// even for small groups and shares near 0 or 1, where the Wald interval fails), tested by the two-proportion z-test, or by
/// Fisher's exact test when an expected cell count is below 5. Means: Welch's t-test and interval (unequal variances:
/// a group's spread changes with the uplift).
/// </summary>
internal static class UpliftStatistics
{
    public const double Level = 0.95;
    private static readonly double Z = Normal.InvCDF(0, 1, 1 - (1 - Level) / 2);

    public static MetricComparison Shares(string metric, string segment, long treatmentHits, long treatmentN, long controlHits, long controlN)
    {
        if (treatmentN == 0 || controlN == 0)
            return Empty(metric, segment, AnalysisMetrics.TwoProportionZTest, treatmentN, controlN, treatmentHits, controlHits);
        double p1 = (double)treatmentHits / treatmentN, p2 = (double)controlHits / controlN, difference = p1 - p2;
        var (l1, u1) = Wilson(treatmentHits, treatmentN);
        var (l2, u2) = Wilson(controlHits, controlN);
        var low = difference - Math.Sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
        var high = difference + Math.Sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));

        var pooled = (double)(treatmentHits + controlHits) / (treatmentN + controlN);
        var smallestExpected = Math.Min(treatmentN, controlN) * Math.Min(pooled, 1 - pooled);
        string test;
        double p;
        if (smallestExpected >= 5)
        {
            test = AnalysisMetrics.TwoProportionZTest;
            var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / treatmentN + 1.0 / controlN));
            p = 2 * Normal.CDF(0, 1, -Math.Abs(difference) / se);
        }
        else
        {
            test = AnalysisMetrics.FisherExactTest;
            p = FisherExact(treatmentHits, treatmentN, controlHits, controlN);
        }
        return new MetricComparison(metric, segment, test, treatmentN, controlN, p1, p2, difference, low, high, Math.Min(1, p));
    }

    public static MetricComparison Means(string metric, string segment, IReadOnlyList<double> treatment, IReadOnlyList<double> control)
    {
        long n1 = treatment.Count, n2 = control.Count;
        double? m1 = n1 > 0 ? treatment.Average() : null, m2 = n2 > 0 ? control.Average() : null;
        if (n1 < 2 || n2 < 2)
            return new MetricComparison(metric, segment, AnalysisMetrics.WelchTTest, n1, n2, m1, m2, m1 - m2, null, null, null);
        double mean1 = m1!.Value, mean2 = m2!.Value, difference = mean1 - mean2;
        double v1 = Variance(treatment, mean1) / n1, v2 = Variance(control, mean2) / n2, se2 = v1 + v2;
        if (se2 == 0)
            // Every visitor of both groups has the same value: the difference is exact.
            return new MetricComparison(metric, segment, AnalysisMetrics.WelchTTest, n1, n2, mean1, mean2, difference, difference, difference,
                difference == 0 ? 1 : 0);
        var freedom = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        var se = Math.Sqrt(se2);
        var critical = StudentT.InvCDF(0, 1, freedom, 1 - (1 - Level) / 2);
        var p = 2 * StudentT.CDF(0, 1, freedom, -Math.Abs(difference) / se);
        return new MetricComparison(metric, segment, AnalysisMetrics.WelchTTest, n1, n2, mean1, mean2, difference, difference - critical * se,
            difference + critical * se, Math.Min(1, p));
    }

    /// <summary>Wilson's score interval of one proportion.</summary>
    private static (double Low, double High) Wilson(long hits, long n)
    {
        var p = (double)hits / n;
        var denominator = 1 + Z * Z / n;
        var centre = (p + Z * Z / (2 * n)) / denominator;
        var half = Z * Math.Sqrt(p * (1 - p) / n + Z * Z / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Two-sided Fisher's exact test: the probability of every table, with the same margins, no likelier than the one seen.</summary>
    private static double FisherExact(long treatmentHits, long treatmentN, long controlHits, long controlN)
    {
        var population = (int)(treatmentN + controlN);
        var successes = (int)(treatmentHits + controlHits);
        var draws = (int)treatmentN;
        var observed = Hypergeometric.PMF(population, successes, draws, (int)treatmentHits);
        var p = 0.0;
        for (var k = Math.Max(0, draws - (population - successes)); k <= Math.Min(successes, draws); k++)
        {
            var probability = Hypergeometric.PMF(population, successes, draws, k);
            if (probability <= observed * (1 + 1e-7)) p += probability;
        }
        return p;
    }

    private static double Variance(IReadOnlyList<double> values, double mean)
    {
        var sum = 0.0;
        foreach (var value in values) sum += (value - mean) * (value - mean);
        return sum / (values.Count - 1);
    }

    private static MetricComparison Empty(string metric, string segment, string test, long treatmentN, long controlN, long treatmentHits,
        long controlHits) =>
        new(metric, segment, test, treatmentN, controlN, treatmentN > 0 ? (double)treatmentHits / treatmentN : null,
            controlN > 0 ? (double)controlHits / controlN : null, null, null, null, null);
}
