using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Tests.Graph;

public sealed class RecommendationReplacementTests
{
    [Fact]
    public void The_replaced_visitors_and_control_group_are_folded_into_ordinal_sets()
    {
        var replacement = RecommendationReplacement.Check(["V1", "v1", "V1", "V2"], [new RecommendationLink("V1", "S1", 0.5)], ["V2", "V2"]);

        Assert.Equal(["V1", "V2", "v1"], replacement.Visitors.Order(StringComparer.Ordinal));
        Assert.Equal(["V2"], replacement.ControlGroup);
    }

    [Fact]
    public void A_link_to_a_visitor_outside_the_replaced_set_is_refused_naming_the_link()
    {
        var error = Assert.Throws<ArgumentException>(() => RecommendationReplacement.Check(["V1"],
            [new RecommendationLink("V1", "S1", 0.5), new RecommendationLink("V9", "S1", 0.5)], []));

        Assert.Equal("links", error.ParamName);
        Assert.StartsWith("links[1]: visitor 'V9' is not among the badge ids", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_score_that_is_not_finite_is_refused(double score)
    {
        var error = Assert.Throws<ArgumentException>(() => RecommendationReplacement.Check(["V1"], [new RecommendationLink("V1", "S1", score)], []));

        Assert.Contains("links[0]: similarity score", error.Message);
    }

    [Fact]
    public void A_control_group_member_outside_the_replaced_set_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RecommendationReplacement.Check(["V1"], [], ["V1", "V2"]));

        Assert.Equal("controlGroup", error.ParamName);
        Assert.StartsWith("control-group visitor 'V2' is not among", error.Message);
    }
}
