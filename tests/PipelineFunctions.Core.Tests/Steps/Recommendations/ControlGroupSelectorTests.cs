using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations;
using static PipelineFunctions.Core.Tests.Steps.Recommendations.RecommendationTestData;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

public sealed class ControlGroupSelectorTests
{
    private static readonly List<string> Badges = Enumerable.Range(0, 1000).Select(i => $"B{i:D5}").ToList();

    [Fact]
    public void Selects_the_configured_percentage()
    {
        var settings = Config.Recommendation.ControlGroup;
        Assert.True(settings.Enabled);
        var selected = new ControlGroupSelector(settings).Select(Badges);
        Assert.Equal(50, selected.Count);
        Assert.All(selected, id => Assert.Contains(id, Badges));

        // round(30 x 5 / 100) = round(1.5) = 2
        Assert.Equal(2, new ControlGroupSelector(settings).Select(Badges.Take(30)).Count);
    }

    [Fact]
    public void Same_input_in_any_order_gives_the_same_set_and_another_seed_another_set()
    {
        var settings = new ControlGroupSettings { Percentage = 5, Seed = 42 };
        var first = new ControlGroupSelector(settings).Select(Badges);
        var shuffled = Badges.OrderBy(id => id.GetHashCode(StringComparison.Ordinal) ^ 12345).ToList();
        Assert.True(first.SetEquals(new ControlGroupSelector(settings).Select(shuffled)));
        Assert.True(first.SetEquals(new ControlGroupSelector(settings).Select(Badges)));

        var other = new ControlGroupSelector(new ControlGroupSettings { Percentage = 5, Seed = 43 }).Select(Badges);
        Assert.Equal(50, other.Count);
        Assert.False(first.SetEquals(other));
    }

    [Fact]
    public void Disabled_selects_nobody()
    {
        var selected = new ControlGroupSelector(new ControlGroupSettings { Enabled = false }).Select(Badges);
        Assert.Empty(selected);
    }
}
