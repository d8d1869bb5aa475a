using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The signals the ranker blends, one value per (visitor, candidate session). The order is part of every trained
/// model: change it and bump <see cref="SchemaVersion"/>, so step 4 falls back to the heuristic instead of
/// feeding an old model features it was not trained on.
/// </summary>
public static class RankingFeatures
{
    public const string SchemaVersion = "ranking-features/1";
    public const int Count = 12;

    public const int SourceMaxCosine = 0, SourceMeanCosine = 1, OwnHistoryMaxCosine = 2, SimilarVisitorsStreamRate = 3,
        SimilarAttendanceStreamShare = 4, JobRoleStreamMatch = 5, SpecialisationStreamMatch = 6, StreamPopularity = 7,
        NeighbourPopularity = 8, TheatreCapacity = 9, Returning = 10, SessionPopularity = 11;

    public static IReadOnlyList<string> Names { get; } =
    [
        "source_max_cosine", "source_mean_cosine", "own_history_max_cosine", "similar_visitors_stream_rate",
        "similar_attendance_stream_share", "job_role_stream_match", "specialisation_stream_match", "stream_popularity",
        "neighbour_popularity", "theatre_capacity", "returning", "session_popularity",
    ];
}

/// <summary>A session the ranker scores or learns from: its streams, theatre and (L2-normalised) embedding.</summary>
public sealed record RankingSession(string SessionId, IReadOnlyList<string> Streams, string Theatre, float[] Vector);

/// <summary>
/// What is known about last year when ranking: past visitors, what they attended, past sessions with embeddings,
/// step 1's job-role and specialisation stream matrices, and theatre capacities.
/// </summary>
public sealed record RankingKnowledge(
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<VisitorNode>> PastVisitors,
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<AttendanceLink>> Attendance,
    IReadOnlyList<RankingSession> PastSessions,
    StreamMatrix JobRoleStreams,
    StreamMatrix SpecialisationStreams,
    IReadOnlyDictionary<string, int> TheatreCapacity)
{
    /// <summary>The same knowledge without some past visitors and their attendance (a holdout).</summary>
    public RankingKnowledge Without(IReadOnlySet<(VisitorKind Kind, string BadgeId)> visitors) => this with
    {
        PastVisitors = PastVisitors.ToDictionary(g => g.Key, g => (IReadOnlyList<VisitorNode>)g.Value.Where(v => !visitors.Contains((g.Key, v.BadgeId))).ToList()),
        Attendance = Attendance.ToDictionary(g => g.Key, g => (IReadOnlyList<AttendanceLink>)g.Value.Where(l => !visitors.Contains((g.Key, l.BadgeId))).ToList()),
    };
}

/// <summary>A visitor to rank sessions for, with their own past sessions when they are known.</summary>
/// <param name="Returning">Registered last year (a past self is known), with or without attendance.</param>
public sealed record RankingQuery(VisitorKind Kind, VisitorNode Visitor, IReadOnlyList<string> OwnSessions, bool Returning);

/// <summary>One query's features, candidate-major (<see cref="RankingFeatures.Count"/> values per candidate).</summary>
public sealed record QueryFeatures(float[] Values, string Strategy, int SourceSessions)
{
    public float Get(int candidate, int feature) => Values[candidate * RankingFeatures.Count + feature];
}
