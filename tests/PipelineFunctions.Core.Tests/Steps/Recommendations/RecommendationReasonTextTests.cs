using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

/// <summary>Each reason code as a visitor reads it, with vet_lva's similarity attributes and export columns.</summary>
public sealed class RecommendationReasonTextTests
{
    private static readonly EventConfig Config = EventConfigLoader.LoadFile(RepositoryPaths.EventConfig("vet_lva"));
    private static readonly RecommendableSession Session = new("S1", "Feline dentistry, part 1", ["Feline", "Dentistry"],
        new DateOnly(2025, 11, 20), new TimeOnly(9, 30), new TimeOnly(10, 15), "Theatre 1");

    private static readonly RecommendationReasonText Text = new(Config, ["P1", "P2"],
        new Dictionary<string, string> { ["P1"] = "Cats, part 2", ["P2"] = " " }, RecommendationExports.VisitorColumns(Config));

    /// <summary>The visitor's export values (assist_year_before, the similarity attributes, the export fields).</summary>
    private static IReadOnlyList<string> Values(string jobRole, string practice) =>
        RecommendationExports.VisitorColumns(Config).Select(c => c switch
        {
            "job_role" => jobRole,
            "what_type_does_your_practice_specialise_in" => practice,
            "Country" => "UK",
            _ => "x",
        }).ToList();

    [Theory]
    [InlineData(RecommendationReasonCode.AttendedBefore, 0, "you attended \"Cats, part 2\" at a past show")]
    [InlineData(RecommendationReasonCode.AttendedBefore, 1, "you attended \"P2\" at a past show")]
    [InlineData(RecommendationReasonCode.MatchesSpecialisation, 1, "matches your interest in Dentistry")]
    [InlineData(RecommendationReasonCode.MatchesJobRole, 0, "Feline is relevant to your job role")]
    [InlineData(RecommendationReasonCode.PopularBefore, 0, "close to \"Cats, part 2\", popular at past shows")]
    [InlineData(RecommendationReasonCode.PopularBefore, -1, "popular at past shows")]
    [InlineData(RecommendationReasonCode.None, -1, "")]
    internal void A_code_and_its_argument_render_as_a_short_sentence(RecommendationReasonCode code, int argument, string expected) =>
        Assert.Equal(expected, Text.Render(code, argument, Session, Values("Vet/Vet Surgeon", "Small Animal")));

    [Fact]
    public void Similar_visitors_are_named_by_the_visitors_two_most_weighted_answers()
    {
        Assert.Equal("popular with visitors like you (Vet/Vet Surgeon, Small Animal)",
            Text.Render(RecommendationReasonCode.PopularWithSimilarVisitors, -1, Session, Values("Vet/Vet Surgeon", "Small Animal")));
        // A blank answer is skipped: the next attribute by weight (then config order) is named instead.
        Assert.Equal("popular with visitors like you (Small Animal, x)",
            Text.Render(RecommendationReasonCode.PopularWithSimilarVisitors, -1, Session, Values(" ", "Small Animal")));
    }
}
