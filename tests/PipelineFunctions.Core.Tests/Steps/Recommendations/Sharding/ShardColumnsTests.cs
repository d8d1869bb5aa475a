using System.Collections;
using System.Diagnostics.CodeAnalysis;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

/// <summary>
/// A shard carries only the visitor columns scoring reads: the heuristic, the business rules and the learned ranker's
/// features read nothing else, and scoring a visitor from those columns alone gives what scoring from every column gives.
/// </summary>
public sealed class ShardColumnsTests
{
    private static readonly EventConfig Config = RecommendationTestData.Config;

    /// <summary>A registration as step 1 writes it: the configured columns and the ones no rule looks at.</summary>
    private static Dictionary<string, string> Registration(string role, string practice, string company, string title) => new()
    {
        ["BadgeId"] = "V1", ["Email"] = "v1@example.com", ["Forename"] = "Ann", ["Surname"] = "Lee", ["Company"] = company,
        ["JobTitle"] = title, ["Country"] = "UK", ["assist_year_before"] = "0", ["job_role"] = role,
        ["what_type_does_your_practice_specialise_in"] = practice, ["organisation_type"] = "Independent Practice",
        ["what_areas_do_you_specialise_in"] = "Cardiology", ["RegistrationDate"] = "2025-05-23 07:01:58",
    };

    private static VisitorNode Past(string badge, string role, string practice) =>
        new(badge, new Dictionary<string, string> { ["job_role"] = role, ["what_type_does_your_practice_specialise_in"] = practice });

    private static readonly Dictionary<string, RecommendableSession> Sessions = RecommendationTestData.ById(
        RecommendationTestData.Session("T1", "Dental care in dogs", "Small Animal", start: "09:00", end: "09:30"),
        RecommendationTestData.Session("T2", "Equine lameness", "Equine", start: "10:00", end: "10:30"),
        RecommendationTestData.Session("T3", "Practice finance", "Practice Management", start: "11:00", end: "11:30"));

    /// <summary>Last year: a small-animal vet who attended P1 and an equine practice manager who attended P2.</summary>
    private static readonly Dictionary<VisitorKind, IReadOnlyList<VisitorNode>> PastVisitors = new()
    {
        [VisitorKind.PastMain] = [Past("PA", "Vet/Vet Surgeon", "Small Animal"), Past("PB", "Practice Manager", "Equine")],
        [VisitorKind.PastSecondary] = [],
    };

    private static readonly Dictionary<VisitorKind, IReadOnlyList<AttendanceLink>> Attendance = new()
    {
        [VisitorKind.PastMain] = [new("PA", "P1", "", "", ""), new("PB", "P2", "", "", "")],
        [VisitorKind.PastSecondary] = [],
    };

    private static RecommendationData Data(VisitorNode visitor) => new(
        [visitor],
        PastVisitors,
        [],
        Attendance,
        [
            new(SessionYear.ThisYear, "T1", "h", "m", [1, 0]), new(SessionYear.ThisYear, "T2", "h", "m", [0, 1]),
            new(SessionYear.ThisYear, "T3", "h", "m", [0.6f, 0.8f]),
        ],
        [new(SessionYear.Past, "P1", "h", "m", [1, 0]), new(SessionYear.Past, "P2", "h", "m", [0, 1])]);

    private static RankingKnowledge Knowledge() => new(
        PastVisitors,
        Attendance,
        [new("P1", ["Small Animal"], "Theatre A", [1, 0]), new("P2", ["Equine"], "Theatre A", [0, 1])],
        StreamMatrix.From(new ArtifactTable("job_role_streams.csv", ["job_role", "stream"], [["Practice Manager", "Practice Management"]]),
            "job_role"),
        StreamMatrix.From(new ArtifactTable("specialisation_streams.csv", ["specialisation", "stream"], [["Equine", "Equine"]]),
            "specialisation"),
        new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["Theatre A"] = 100 });

    /// <summary>Scores a visitor the way a shard does (heuristic, then the business rules) and computes the learned ranker's features.</summary>
    private static (string Strategy, List<string> Kept, List<string> Notes, float[] Features) Score(IReadOnlyDictionary<string, string> properties)
    {
        var visitor = new VisitorNode("V1", properties);
        var scoring = new ReferenceHeuristicScorer(Config, Data(visitor)).Score(visitor);
        var notes = new List<string>();
        var rules = new BusinessRuleFilter(Config.Recommendation.Rules!, Config.Registration.JobRoleField,
            Config.Registration.PracticeTypeFields.ThisYear);
        var kept = rules.Apply(scoring.Candidates, Sessions, notes).Select(s => s.SessionId).ToList();
        var space = new RankingFeatureSpace(Config, Knowledge(),
            [new("T1", ["Small Animal"], "Theatre A", [1, 0]), new("T2", ["Equine"], "Theatre A", [0, 1])], candidatesArePast: false);
        var features = space.Compute(new RankingQuery(VisitorKind.ThisYear, visitor, [], Returning: false));
        var values = Enumerable.Range(0, 2).SelectMany(c => Enumerable.Range(0, RankingFeatures.Count).Select(f => features.Get(c, f))).ToArray();
        return (scoring.Strategy, kept, notes, values);
    }

    [Theory]
    [InlineData("Practice Manager", "Equine", "Hull Equine Clinic", "Manager")]
    [InlineData("Vet/Vet Surgeon", "Small Animal", "City Vets", "Vet")]
    [InlineData("Vet Nurse", "Small Animal;Farm", "Farm & Pet", "Head Nurse")]
    public void Scoring_reads_only_the_shard_columns_and_gives_the_same_from_them_alone(string role, string practice, string company, string title)
    {
        var full = Registration(role, practice, company, title);
        var recording = new RecordingDictionary(full);
        var fromAll = Score(recording);
        var columns = RecommendationShards.ShardColumns(Config);

        Assert.NotEmpty(recording.Read);
        Assert.All(recording.Read, column => Assert.Contains(column, columns));
        Assert.DoesNotContain("RegistrationDate", columns);
        // Every exported column travels too: the fan-in writes them from the shard's values.
        Assert.All(RecommendationExports.VisitorColumns(Config), column => Assert.Contains(column, columns));

        var fromShard = Score(full.Where(p => columns.Contains(p.Key)).ToDictionary());
        Assert.Equal(fromAll.Strategy, fromShard.Strategy);
        Assert.Equal(fromAll.Kept, fromShard.Kept);
        Assert.Equal(fromAll.Notes, fromShard.Notes);
        Assert.Equal(fromAll.Features, fromShard.Features);
    }

    /// <summary>Remembers every column looked up; enumerating it would read every column, so that fails the test.</summary>
    private sealed class RecordingDictionary(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public string this[string key] => Read.Add(key) ? inner[key] : inner[key];

        public IEnumerable<string> Keys => throw new InvalidOperationException("scoring enumerated every column");
        public IEnumerable<string> Values => throw new InvalidOperationException("scoring enumerated every column");
        public int Count => inner.Count;

        public bool ContainsKey(string key)
        {
            Read.Add(key);
            return inner.ContainsKey(key);
        }

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            Read.Add(key);
            return inner.TryGetValue(key, out value);
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => throw new InvalidOperationException("scoring enumerated every column");

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
