namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>Keys of step 4's counts (its metadata and its outcome's metrics) that telemetry reads back.</summary>
public static class RecommendationCounts
{
    public const string VisitorsProcessed = "visitors_processed", VisitorsWithoutRecommendations = "visitors_without_recommendations",
        Recommendations = "recommendations", CapacityRefusals = "capacity_refusals", BackfilledVisitors = "backfilled_visitors";

    /// <summary>The counts a run's telemetry reports (the only ones its RecordRunEnd activity is sent: the message stays small).</summary>
    public static IReadOnlySet<string> Reported { get; } =
        new HashSet<string>([VisitorsProcessed, VisitorsWithoutRecommendations, Recommendations, CapacityRefusals, BackfilledVisitors],
            StringComparer.Ordinal);
}
