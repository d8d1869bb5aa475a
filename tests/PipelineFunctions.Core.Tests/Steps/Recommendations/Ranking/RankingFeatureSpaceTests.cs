using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Ranking;

/// <summary>The ranker's features on a hand-made show small enough to check every value.</summary>
public sealed class RankingFeatureSpaceTests
{
    private static readonly EventConfig Config = EventConfigLoader.LoadFile(Path.Combine(RepositoryPaths.Root, "config", "events", "vet_lva.yaml"));

    private static float[] Unit(params float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static VisitorNode Visitor(
        string badge, string role, string practice, string organisation = "Independent Practice", string country = "UK") =>
        new(badge, new Dictionary<string, string>
        {
            ["job_role"] = role, ["what_type_does_your_practice_specialise_in"] = practice,
            ["organisation_type"] = organisation, ["Country"] = country,
        });

    private static AttendanceLink Attended(string badge, string session) => new(badge, session, "2024-11-20 09:00:00", "scans.csv", session);

    // Past sessions: two small-animal ones close together, one equine far away.
    private static readonly RankingSession[] Past =
    [
        new("P1", ["Small Animal"], "Theatre 1", Unit(1, 0, 0)),
        new("P2", ["Small Animal"], "Theatre 2", Unit(0.9f, 0.1f, 0)),
        new("P3", ["Equine"], "Theatre 2", Unit(0, 0, 1)),
    ];

    private static RankingKnowledge Knowledge() => new(
        new Dictionary<VisitorKind, IReadOnlyList<VisitorNode>>
        {
            [VisitorKind.PastMain] =
            [
                Visitor("A", "Vet Nurse", "Small Animal"), Visitor("B", "Vet Nurse", "Small Animal"),
                Visitor("C", "Locum Vet", "Equine", "Referral Hospital", "IE")
            ],
            [VisitorKind.PastSecondary] = [],
        },
        new Dictionary<VisitorKind, IReadOnlyList<AttendanceLink>>
        {
            [VisitorKind.PastMain] = [Attended("A", "P1"), Attended("A", "P2"), Attended("B", "P1"), Attended("C", "P3")],
            [VisitorKind.PastSecondary] = [],
        },
        Past,
        StreamMatrix.From(
            new ArtifactTable("job_role_streams.csv", ["job_role", "stream"], [["Vet Nurse", "Small Animal"], ["Locum Vet", "Equine"]]),
            "job_role"),
        StreamMatrix.From(
            new ArtifactTable("specialisation_streams.csv", ["specialisation", "stream"], [["Small Animal", "Small Animal"], ["Equine", "Equine"]]),
            "specialisation"),
        new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["Theatre 1"] = 200, ["Theatre 2"] = 50 });

    private static readonly RankingSession[] ThisYear =
    [
        new("T1", ["Small Animal"], "Theatre 1", Unit(1, 0.05f, 0)),
        new("T2", ["Equine"], "Theatre 2", Unit(0, 0.1f, 1)),
    ];

    [Fact]
    public void A_new_small_animal_nurse_leans_on_similar_nurses_and_their_streams()
    {
        var space = new RankingFeatureSpace(Config, Knowledge(), ThisYear, candidatesArePast: false);
        var features = space.Compute(new RankingQuery(VisitorKind.ThisYear, Visitor("N", "Vet Nurse", "Small Animal"), [], Returning: false));

        Assert.Equal(GenerationStrategies.NewSimilarVisitors, features.Strategy);
        Assert.Equal(2, features.SourceSessions); // P1 and P2, attended by nurses A and B (C is less similar)
        Assert.True(features.Get(0, RankingFeatures.SourceMaxCosine) > 0.99f);
        Assert.True(features.Get(1, RankingFeatures.SourceMaxCosine) < 0.2f);
        Assert.Equal(0f, features.Get(0, RankingFeatures.OwnHistoryMaxCosine));
        Assert.Equal(1f, features.Get(0, RankingFeatures.JobRoleStreamMatch));
        Assert.Equal(0f, features.Get(1, RankingFeatures.JobRoleStreamMatch));
        Assert.Equal(1f, features.Get(0, RankingFeatures.SpecialisationStreamMatch));
        Assert.Equal(1f, features.Get(1, RankingFeatures.TheatreCapacity) * 4, 3);
        Assert.Equal(1f, features.Get(0, RankingFeatures.TheatreCapacity));
        Assert.Equal(0f, features.Get(0, RankingFeatures.Returning));
        // The similar visitors are A and B (C shares no attribute with N), who attended only small-animal sessions.
        Assert.True(features.Get(0, RankingFeatures.SimilarVisitorsStreamRate) > features.Get(1, RankingFeatures.SimilarVisitorsStreamRate));
        Assert.Equal(3f / 4, features.Get(0, RankingFeatures.StreamPopularity), 3);
        Assert.Equal(1f / 4, features.Get(1, RankingFeatures.StreamPopularity), 3);
    }

    [Fact]
    public void A_returning_visitor_is_ranked_from_their_own_sessions()
    {
        var space = new RankingFeatureSpace(Config, Knowledge(), ThisYear, candidatesArePast: false);
        var features = space.Compute(new RankingQuery(VisitorKind.ThisYear, Visitor("R", "Vet Nurse", "Small Animal"), ["P3"], Returning: true));

        Assert.Equal(GenerationStrategies.ReturningPastSessions, features.Strategy);
        Assert.True(features.Get(1, RankingFeatures.OwnHistoryMaxCosine) > 0.99f);
        Assert.Equal(features.Get(1, RankingFeatures.SourceMaxCosine), features.Get(1, RankingFeatures.OwnHistoryMaxCosine));
        Assert.Equal(1f, features.Get(1, RankingFeatures.Returning));
    }

    [Fact]
    public void Past_sessions_as_candidates_never_match_themselves()
    {
        var space = new RankingFeatureSpace(Config, Knowledge(), Past, candidatesArePast: true);
        var features = space.Compute(new RankingQuery(VisitorKind.PastMain, Visitor("X", "Vet Nurse", "Small Animal"), ["P1"], Returning: true));

        // P1 is the only source: its cosine with itself is left out, its neighbour P2 still scores high.
        Assert.Equal(0f, features.Get(0, RankingFeatures.SourceMaxCosine));
        Assert.True(features.Get(1, RankingFeatures.SourceMaxCosine) > 0.99f);
        // Session popularity is the candidate's own attendance: P1 attended by 2, P2 and P3 by 1.
        Assert.Equal(1f, features.Get(0, RankingFeatures.SessionPopularity));
        Assert.Equal(MathF.Log(2) / MathF.Log(3), features.Get(1, RankingFeatures.SessionPopularity), 4);
    }

    [Fact]
    public void A_holdout_is_removed_from_the_knowledge_entirely()
    {
        var without = Knowledge().Without(new HashSet<(VisitorKind, string)> { (VisitorKind.PastMain, "A") });
        Assert.DoesNotContain(without.PastVisitors[VisitorKind.PastMain], v => v.BadgeId == "A");
        Assert.DoesNotContain(without.Attendance[VisitorKind.PastMain], l => l.BadgeId == "A");
        var space = new RankingFeatureSpace(Config, without, Past, candidatesArePast: true);
        Assert.Equal([1, 0, 1], space.PastPopularity);
    }

    [Fact]
    public void Metrics_follow_the_textbook_definitions()
    {
        RankingSession S(string id) => new(id, [], "", [1f]);
        var candidates = new[] { S("a"), S("b"), S("c"), S("d") };
        // Visitor 1 attended a and c; ranked a, b, c. Visitor 2 attended d; ranked a, b.
        var metrics = RankingExperiment.Metrics([[0, 1, 2], [0, 1]], [["a", "c"], ["d"]], candidates);

        var ndcg1 = (1 + 1 / Math.Log2(4)) / (1 + 1 / Math.Log2(3));
        Assert.Equal(Math.Round((ndcg1 + 0) / 2, 4), metrics.NdcgAt10);
        Assert.Equal(Math.Round((1.0 + 0) / 2, 4), metrics.RecallAt10);
        Assert.Equal(0.75, metrics.Coverage);
    }
}
