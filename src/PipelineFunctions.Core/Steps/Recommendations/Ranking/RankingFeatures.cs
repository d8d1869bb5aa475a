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
