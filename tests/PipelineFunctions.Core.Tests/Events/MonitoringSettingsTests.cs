using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Events;

/// <summary>The drift threshold and the degradation margin: their defaults, and out-of-range values refused naming the key.</summary>
public sealed class MonitoringSettingsTests
{
    private static EventConfig Load(string key, string value) =>
        EventConfigLoader.LoadFile(RepositoryPaths.EventConfig("vet_lva"), new Dictionary<string, string> { [key] = value });

    [Fact]
    public void The_defaults_are_a_psi_of_0_2_and_a_tenth_of_the_registration_score()
    {
        var config = EventConfigLoader.LoadFile(RepositoryPaths.EventConfig("vet_lva"));
        Assert.Equal(0.2, config.Registration.DriftThreshold);
        Assert.Equal(0.1, config.Recommendation.Ranking.DegradationMargin);
        Assert.Equal(0.35, Load("registration.drift_threshold", "0.35").Registration.DriftThreshold);
        Assert.Equal(0.05, Load("recommendation.ranking.degradation_margin", "0.05").Recommendation.Ranking.DegradationMargin);
    }

    [Theory]
    [InlineData("registration.drift_threshold", "0", "must be above 0 and at most 10")]
    [InlineData("registration.drift_threshold", "-0.2", "must be above 0 and at most 10")]
    [InlineData("registration.drift_threshold", "high", "expected a number")]
    [InlineData("recommendation.ranking.degradation_margin", "0", "must be above 0 and below 1")]
    [InlineData("recommendation.ranking.degradation_margin", "1", "must be above 0 and below 1")]
    public void An_out_of_range_value_is_refused_naming_the_key(string key, string value, string problem)
    {
        var error = Assert.Throws<PipelineInputException>(() => Load(key, value));
        Assert.Equal(key, error.Field);
        Assert.Contains(problem, error.Message);
    }
}
