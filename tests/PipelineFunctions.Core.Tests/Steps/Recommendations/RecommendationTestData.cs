using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

internal static class RecommendationTestData
{
    public static readonly DateOnly Day1 = new(2025, 11, 20);
    public static readonly DateOnly Day2 = new(2025, 11, 21);

    private static readonly Lazy<EventConfig> VetLva = new(() => EventConfigLoader.LoadFile(RepositoryPaths.EventConfig("vet_lva")));

    public static EventConfig Config => VetLva.Value;

    public static RecommendableSession Session(
        string id, string title, string stream, DateOnly? date = null, string start = "09:00", string end = "09:30",
        string theatre = "Theatre A") =>
        new(id, title, [stream], date ?? Day1, TimeOnly.Parse(start), TimeOnly.Parse(end), theatre);

    public static Dictionary<string, RecommendableSession> ById(params RecommendableSession[] sessions) =>
        sessions.ToDictionary(s => s.SessionId, StringComparer.Ordinal);

    public static VisitorCandidates Visitor(string badge, Dictionary<string, string> properties, params (string Id, double Score)[] ranked) =>
        new(badge, properties, ranked.Select(r => new ScoredSession(r.Id, r.Score)).ToList());

    public static RecommendationSettings Settings(
        int max = 3, bool resolve = true, bool capacity = true, double multiplier = 3.0) =>
        new()
        {
            MinSimilarityScore = 0.3,
            MaxRecommendations = max,
            ResolveOverlappingSessions = resolve,
            SimilarityAttributes = [],
            TheatreCapacity = new TheatreCapacitySettings { Enabled = capacity, Multiplier = multiplier },
        };
}
