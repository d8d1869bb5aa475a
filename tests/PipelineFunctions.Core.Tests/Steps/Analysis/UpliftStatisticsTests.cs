using MathNet.Numerics.Distributions;
using PipelineFunctions.Core.Steps.Analysis;

namespace PipelineFunctions.Core.Tests.Steps.Analysis;

/// <summary>
/// The intervals and tests of the post-show analysis: checked against an independent computation (z² is Pearson's χ² of the
/// 2×2 table; Fisher's test on the tea-tasting table) and, by simulation with a known difference, for their coverage.
/// </summary>
public sealed class UpliftStatisticsTests
{
    [Theory]
    [InlineData(30, 100, 50, 100)]
    [InlineData(420, 1900, 15, 100)]
    [InlineData(900, 1000, 80, 100)]
    public void The_z_test_of_two_shares_is_pearsons_chi_squared_test_of_their_table(int hits1, int n1, int hits2, int n2)
    {
        var row = UpliftStatistics.Shares("m", "all", hits1, n1, hits2, n2);

        double[,] observed = { { hits1, n1 - hits1 }, { hits2, n2 - hits2 } };
        var total = (double)n1 + n2;
        var chi = 0.0;
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 2; c++)
            {
                var expected = (r == 0 ? n1 : n2) * (observed[0, c] + observed[1, c]) / total;
                chi += (observed[r, c] - expected) * (observed[r, c] - expected) / expected;
            }
        Assert.Equal(AnalysisMetrics.TwoProportionZTest, row.Test);
        Assert.Equal(1 - ChiSquared.CDF(1, chi), row.PValue!.Value, 9);
        Assert.Equal((double)hits1 / n1 - (double)hits2 / n2, row.Difference!.Value, 12);
    }

    [Fact]
    public void Small_groups_use_fishers_exact_test()
    {
        // Fisher's lady tasting tea: 3 of 4 cups right against 1 of 4; the two-sided p-value is 17/35.
        var row = UpliftStatistics.Shares("m", "all", 3, 4, 1, 4);
        Assert.Equal(AnalysisMetrics.FisherExactTest, row.Test);
        Assert.Equal(17.0 / 35, row.PValue!.Value, 9);
        Assert.InRange(0.5, row.CiLow!.Value, row.CiHigh!.Value);
    }

    [Fact]
    public void Welchs_interval_covers_a_known_difference_of_means_about_95_times_in_100_and_agrees_with_its_test()
    {
        var random = new Random(7);
        const int trials = 2000;
        var covered = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            // Unequal sizes and spreads, as treatment and control groups have.
            var treatment = Enumerable.Range(0, 400).Select(_ => Normal.Sample(random, 3.3, 2.0)).ToList();
            var control = Enumerable.Range(0, 25).Select(_ => Normal.Sample(random, 3.0, 1.0)).ToList();
            var row = UpliftStatistics.Means("m", "all", treatment, control);
            if (row.CiLow <= 0.3 && 0.3 <= row.CiHigh) covered++;
            Assert.Equal(row.PValue < 0.05, row.CiLow > 0 || row.CiHigh < 0);
        }
        Assert.InRange(covered, trials * 0.935, trials * 0.965);
    }

    [Fact]
    public void The_interval_of_two_shares_covers_a_known_difference_at_least_93_times_in_100_even_for_small_groups()
    {
        var random = new Random(11);
        const int trials = 2000;
        var covered = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var treated = Binomial.Sample(random, 0.9, 300);
            var control = Binomial.Sample(random, 0.8, 20);
            var row = UpliftStatistics.Shares("m", "all", treated, 300, control, 20);
            if (row.CiLow <= 0.1 && 0.1 <= row.CiHigh) covered++;
        }
        Assert.True(covered >= trials * 0.93, $"covered {covered} of {trials}");
    }

    [Fact]
    public void A_group_too_small_for_a_test_gives_values_but_no_interval_or_p_value()
    {
        var mean = UpliftStatistics.Means("m", "all", [1.0, 2.0, 3.0], [1.0]);
        Assert.Equal(1.0, mean.Difference!.Value, 12);
        Assert.Null(mean.CiLow);
        Assert.Null(mean.PValue);
        var share = UpliftStatistics.Shares("m", "all", 3, 10, 0, 0);
        Assert.Equal(0.3, share.Treatment!.Value, 12);
        Assert.Null(share.Control);
        Assert.Null(share.PValue);
    }
}
