using PipelineFunctions.Core.Steps.Recommendations;
using static PipelineFunctions.Core.Tests.Steps.Recommendations.RecommendationTestData;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

public sealed class TimeClashesTests
{
    private static readonly Dictionary<string, RecommendableSession> Sessions = ById(
        Session("A", "a", "S", Day1, "10:00", "11:00"),
        Session("B", "b", "S", Day1, "10:30", "11:30"),
        Session("C", "c", "S", Day1, "11:00", "12:00"), // touches A: no overlap
        Session("D", "d", "S", Day2, "10:00", "11:00")); // same time as A, another day

    private static List<ScoredSession> List(params (string Id, double Score)[] items) =>
        items.Select(i => new ScoredSession(i.Id, i.Score)).ToList();

    [Fact]
    public void Annotate_lists_overlapping_items_and_ignores_touching_and_other_days()
    {
        var annotated = TimeClashes.Annotate(List(("A", .9), ("B", .8), ("C", .7), ("D", .6)), Sessions);
        Assert.Equal(["A", "B", "C", "D"], annotated.Select(a => a.SessionId));
        Assert.Equal(["B"], annotated[0].OverlappingSessionIds);
        Assert.Equal(["A", "C"], annotated[1].OverlappingSessionIds);
        Assert.Equal(["B"], annotated[2].OverlappingSessionIds);
        Assert.Empty(annotated[3].OverlappingSessionIds);
        Assert.Equal(.8, annotated[1].Score);
    }

    [Fact]
    public void Resolve_keeps_the_higher_scored_of_overlapping_sessions()
    {
        var kept = TimeClashes.Resolve(List(("A", .9), ("B", .95), ("C", .8), ("D", .7)), Sessions);
        Assert.Equal(["B", "D"], kept.Select(k => k.SessionId));
    }

    [Fact]
    public void Resolve_breaks_score_ties_by_lower_session_id_and_keeps_touching_sessions()
    {
        var kept = TimeClashes.Resolve(List(("B", .9), ("C", .5), ("A", .9), ("D", .1)), Sessions);
        Assert.Equal(["A", "C", "D"], kept.Select(k => k.SessionId));
    }
}
