using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

/// <summary>
/// Step 4's shards keep each visitor's first candidates with <see cref="ReferenceHeuristicScorer.Top"/>, which works the
/// business rules out on counts instead of filtering the whole ranked list. On a seeded random show with the shipped vet
/// rules (streams and titles that trigger every rule, visitors of every role) it must give exactly what scoring every
/// session and filtering does: the same first candidates, scores, count, strategy and rule notes.
/// </summary>
public sealed class ReferenceHeuristicTopTests
{
    private static readonly string[] Streams = ["Equine", "Feline", "Nursing", "Farm", "Small Animal", "Surgery", "Wellbeing", "Exotics"];
    private static readonly string[] Roles = ["Vet/Vet Surgeon", "Vet Nurse", "Head Nurse/Senior Nurse", "Practice Manager", "Student", ""];
    private static readonly string[] Practices = ["Small Animal", "Equine", "Mixed", "Farm", "Small Animal;Exotics", ""];
    private static readonly string[] Companies = ["Equine Clinic", "City Vets", "Horse Hospital", "Farm Practice", ""];
    private static readonly string[] Countries = ["United Kingdom", "Ireland", "France"];

    [Theory]
    [InlineData(5)]
    [InlineData(1000)]
    public void Top_is_the_filtered_ranking_cut_to_the_depth(int depth)
    {
        var random = new Random(17);
        var config = RecommendationTestData.Config;
        var data = Show(random);
        var scorer = new ReferenceHeuristicScorer(config, data);
        var rules = new BusinessRuleFilter(config.Recommendation.Rules!, config.Registration.JobRoleField,
            config.Registration.PracticeTypeFields.ThisYear);
        var sessions = Sessions().ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        var combinations = scorer.SessionIds.Select(id => rules.CombinationOf(sessions[id])).ToArray();
        var withNotes = 0;
        var cut = 0;

        foreach (var visitor in data.Visitors)
        {
            var scoring = scorer.Score(visitor);
            var expectedNotes = new List<string>();
            var expected = rules.Apply(scoring.Candidates, sessions, expectedNotes);
            var notes = new List<string>();
            var top = scorer.Top(visitor, rules, combinations, depth, notes);

            Assert.Equal(scoring.Strategy, top.Strategy);
            Assert.Equal(expected.Count, top.Passing);
            Assert.Equal(expectedNotes, notes);
            Assert.Equal(expected.Take(depth).Select(s => (s.SessionId, s.Score)),
                top.Sessions.Select((s, i) => (scorer.SessionIds[s], top.Scores[i])));
            if (notes.Count > 0) withNotes++;
            if (top.Passing > top.Sessions.Length) cut++;
        }
        // The show exercises what the cut must get right: rules that would leave nothing, and lists longer than the depth.
        Assert.True(withNotes > 0, "no visitor had a rule skipped");
        Assert.Equal(depth < 1000, cut > 0);
    }

    /// <summary>This year's 60 sessions, the same on every call (their own seed): the scorer's embeddings and the rules' sessions.</summary>
    private static List<RecommendableSession> Sessions()
    {
        var local = new Random(99);
        return Enumerable.Range(0, 60).Select(i => new RecommendableSession($"T{i:00}",
            local.Next(4) == 0 ? $"{(local.Next(2) == 0 ? "Cat" : "Dog")} care {i}" : $"Topic {i}",
            [Streams[local.Next(Streams.Length)], .. local.Next(3) == 0 ? new[] { Streams[local.Next(Streams.Length)] } : []],
            RecommendationTestData.Day1, new TimeOnly(9, 0).AddMinutes(30 * (i % 16)), new TimeOnly(9, 30).AddMinutes(30 * (i % 16)),
            "Theatre A")).ToList();
    }

    private static RecommendationData Show(Random random)
    {
        float[] Vector()
        {
            var v = Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return [.. v.Select(x => x / norm)];
        }
        Dictionary<string, string> Profile() => new()
        {
            ["job_role"] = Roles[random.Next(Roles.Length)],
            ["what_type_does_your_practice_specialise_in"] = Practices[random.Next(Practices.Length)],
            ["organisation_type"] = random.Next(2) == 0 ? "Independent Practice" : "Corporate Group Practice",
            ["Country"] = Countries[random.Next(Countries.Length)],
            ["Company"] = Companies[random.Next(Companies.Length)],
            ["JobTitle"] = random.Next(5) == 0 ? "Equine vet" : "Vet",
        };
        var thisYear = Sessions().Select(s => new SessionEmbedding(SessionYear.ThisYear, s.SessionId, "h", "m", Vector())).ToList();
        var past = Enumerable.Range(0, 20).Select(i => new SessionEmbedding(SessionYear.Past, $"P{i:00}", "h", "m", Vector())).ToList();
        var pastVisitors = Enumerable.Range(0, 200).Select(i => new VisitorNode($"PV{i:000}", Profile())).ToList();
        var attendance = pastVisitors.Where((_, i) => i % 5 != 0)
            .SelectMany(v => Enumerable.Range(0, 1 + random.Next(4))
                .Select(_ => new AttendanceLink(v.BadgeId, past[random.Next(past.Count)].SessionId, "", "", ""))).ToList();
        var visitors = Enumerable.Range(0, 300).Select(i => new VisitorNode($"V{i:000}", Profile())).ToList();
        var selves = visitors.Where((_, i) => i % 3 == 0)
            .Select(v => new SameVisitorLink(v.BadgeId, VisitorKind.PastMain, pastVisitors[random.Next(pastVisitors.Count)].BadgeId, "lva")).ToList();
        return new RecommendationData(visitors,
            new Dictionary<VisitorKind, IReadOnlyList<VisitorNode>> { [VisitorKind.PastMain] = pastVisitors, [VisitorKind.PastSecondary] = [] },
            selves,
            new Dictionary<VisitorKind, IReadOnlyList<AttendanceLink>> { [VisitorKind.PastMain] = attendance, [VisitorKind.PastSecondary] = [] },
            thisYear, past);
    }
}
