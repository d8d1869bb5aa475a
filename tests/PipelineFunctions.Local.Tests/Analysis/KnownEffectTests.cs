using PipelineFunctions.Core.Steps.Analysis;
using Xunit.Abstractions;

namespace PipelineFunctions.Local.Tests.Analysis;

/// <summary>
/// The analysis finds an effect planted by the outcome simulation, over 20 seeds of one pipeline run: the planted absolute
/// uplift (the expected difference in hit rate at k) lies inside the reported 95 % interval, and without an uplift the
/// analysis rarely calls a difference significant. At 95 % both hold for 19 of 20 seeds on average; the tests ask 18.
/// </summary>
[Collection(AnalysedShowCollection.Name)]
public sealed class KnownEffectTests(AnalysedShowFixture show, ITestOutputHelper output)
{
    private const int Seeds = 20, Required = 18;

    [Fact]
    public async Task The_planted_uplift_lies_inside_the_95_percent_interval_for_at_least_18_of_20_seeds()
    {
        const double uplift = 0.10;
        var covered = 0;
        foreach (var seed in Enumerable.Range(1, Seeds))
        {
            await show.SimulateAsync(uplift, seed);
            var hitRate = (await show.AnalyseAsync()).Report.Find(AnalysisMetrics.HitRateAtK);
            var inside = hitRate.CiLow <= uplift && uplift <= hitRate.CiHigh;
            if (inside) covered++;
            output.WriteLine(Line(seed, hitRate, inside ? "covers" : "misses"));
        }
        output.WriteLine($"coverage of the planted uplift {uplift}: {covered} of {Seeds} seeds");
        Assert.True(covered >= Required, $"the planted uplift lies inside the interval for only {covered} of {Seeds} seeds");
    }

    [Fact]
    public async Task Without_uplift_no_significant_effect_for_at_least_18_of_20_seeds()
    {
        var significant = AnalysisMetrics.All.ToDictionary(m => m, _ => 0);
        foreach (var seed in Enumerable.Range(1, Seeds))
        {
            await show.SimulateAsync(0, seed);
            var report = (await show.AnalyseAsync()).Report;
            foreach (var metric in AnalysisMetrics.All)
            {
                var row = report.Find(metric);
                if (row.Significant) significant[metric]++;
                output.WriteLine(Line(seed, row, row.Significant ? "significant" : ""));
            }
        }
        foreach (var (metric, count) in significant) output.WriteLine($"{metric}: significant for {count} of {Seeds} seeds without uplift");
        // The headline share and the hit rate (whose difference is the planted uplift) are the figures the organiser reads.
        Assert.True(significant[AnalysisMetrics.AttendedRecommendedShare] <= Seeds - Required,
            $"the attendance share differs significantly for {significant[AnalysisMetrics.AttendedRecommendedShare]} seeds without an uplift");
        Assert.True(significant[AnalysisMetrics.HitRateAtK] <= Seeds - Required,
            $"the hit rate differs significantly for {significant[AnalysisMetrics.HitRateAtK]} seeds without an uplift");
    }

    private static string Line(int seed, MetricComparison row, string verdict) =>
        FormattableString.Invariant($"seed {seed,2} {row.Metric,-30} difference {row.Difference,7:0.000} ") +
        FormattableString.Invariant($"[{row.CiLow,7:0.000}, {row.CiHigh,7:0.000}] p {row.PValue:0.000} {verdict}");
}
