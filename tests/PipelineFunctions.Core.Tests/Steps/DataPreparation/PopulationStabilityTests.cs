using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.Core.Tests.Steps.DataPreparation;

/// <summary>The population stability index against its definition, Σ (a − e) · ln(a / e) over the categories' shares.</summary>
public sealed class PopulationStabilityTests
{
    private static double Term(double expected, double actual) => (actual - expected) * Math.Log(actual / expected);

    [Fact]
    public void Fifty_fifty_against_ninety_ten_is_the_sum_of_both_categories_terms()
    {
        var psi = PopulationStability.Index(new Dictionary<string, double> { ["a"] = 50, ["b"] = 50 },
            new Dictionary<string, double> { ["a"] = 90, ["b"] = 10 });

        Assert.Equal(Term(0.5, 0.9) + Term(0.5, 0.1), psi, 12);
        Assert.InRange(psi, 0.2, 1); // a shift that large is above the usual 0.2 line
    }

    [Fact]
    public void Only_the_shares_count_and_the_index_is_symmetric()
    {
        var last = new Dictionary<string, double> { ["vet"] = 3, ["nurse"] = 1 };
        var scaled = new Dictionary<string, double> { ["vet"] = 300, ["nurse"] = 100 };
        var now = new Dictionary<string, double> { ["vet"] = 1, ["nurse"] = 1 };

        Assert.Equal(0, PopulationStability.Index(last, scaled), 12);
        Assert.Equal(PopulationStability.Index(last, now), PopulationStability.Index(now, last), 12);
        Assert.Equal(Term(0.75, 0.5) + Term(0.25, 0.5), PopulationStability.Index(last, now), 12);
    }

    [Fact]
    public void A_category_absent_in_one_year_counts_with_the_empty_bin_share()
    {
        var last = new Dictionary<string, double> { ["uk"] = 80, ["ireland"] = 20 };
        var now = new Dictionary<string, double> { ["uk"] = 80, ["france"] = 20 };

        var bins = PopulationStability.Bins(last, now);

        var eps = PopulationStability.EmptyBinShare;
        Assert.Equal(["france", "ireland", "uk"], bins.Select(b => b.Category).Order());
        Assert.Equal(Term(eps, 0.2), bins.Single(b => b.Category == "france").Contribution, 12);
        Assert.Equal(Term(0.2, eps), bins.Single(b => b.Category == "ireland").Contribution, 12);
        Assert.Equal(0, bins.Single(b => b.Category == "uk").Contribution, 12);
        Assert.Equal(bins.Sum(b => b.Contribution), PopulationStability.Index(last, now), 12);
        Assert.True(bins[0].Contribution >= bins[^1].Contribution, "bins come largest contribution first");
    }

    [Fact]
    public void An_empty_or_negative_distribution_is_refused_with_a_message()
    {
        var some = new Dictionary<string, double> { ["a"] = 1 };
        Assert.Contains("positive total", Assert.Throws<ArgumentException>(() =>
            PopulationStability.Index(new Dictionary<string, double>(), some)).Message);
        Assert.Contains("not negative", Assert.Throws<ArgumentException>(() =>
            PopulationStability.Index(some, new Dictionary<string, double> { ["a"] = -1, ["b"] = 2 })).Message);
    }

    [Theory]
    // n·m/(n+m)·PSI against χ² with (categories − 1) degrees of freedom; 3.841 and 5.991 are its 95th percentiles for 1 and 2.
    [InlineData(0.3841459, 2, 20, 20, 0.05)] // 10 · 0.384 = 3.841 on 1 degree of freedom
    [InlineData(0.5991465, 3, 20, 20, 0.05)] // 10 · 0.599 = 5.991 on 2
    [InlineData(0.0599146, 3, 200, 200, 0.05)] // the same statistic from ten times the visitors and a tenth of the index
    [InlineData(0.9, 1, 20, 20, 1.0)] // one category cannot drift
    public void The_sampling_p_value_follows_the_chi_squared_approximation(double psi, int categories, double past, double now, double expected) =>
        Assert.Equal(expected, PopulationStability.SamplingPValue(psi, categories, past, now), 4);

    [Fact]
    public void The_same_index_is_noise_for_a_small_show_and_a_real_shift_for_a_large_one()
    {
        // PSI 0.25 over 20 categories: expected by chance alone with 120 and 200 visitors, not with 5,000 and 8,000.
        Assert.True(PopulationStability.SamplingPValue(0.25, 20, 200, 120) > 0.3);
        Assert.True(PopulationStability.SamplingPValue(0.25, 20, 8000, 5000) < 1e-9);
    }
}
