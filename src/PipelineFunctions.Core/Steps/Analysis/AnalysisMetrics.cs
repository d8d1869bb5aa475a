namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>The names the post-show analysis writes (analysis.json, analysis.csv, the dashboard): stable, scripts look for them.</summary>
public static class AnalysisMetrics
{
    /// <summary>Share of visitors who attended at least one of their recommended sessions (the headline figure).</summary>
    public const string AttendedRecommendedShare = "attended_recommended_share";

    /// <summary>Recommended sessions attended per visitor.</summary>
    public const string RecommendedSessionsAttended = "recommended_sessions_attended";

    /// <summary>Per visitor, the share of the first k recommended sessions attended (k: the agenda length, at most max_recommendations).</summary>
    public const string HitRateAtK = "hit_rate_at_k";

    /// <summary>Sessions attended per visitor, recommended or not.</summary>
    public const string SessionsAttended = "sessions_attended";

    public static IReadOnlyList<string> All { get; } = [AttendedRecommendedShare, RecommendedSessionsAttended, HitRateAtK, SessionsAttended];

    /// <summary>Segments: every analysed visitor, one per generation strategy, returning and new visitors.</summary>
    public const string AllVisitors = "all", StrategyPrefix = "strategy:", Returning = "visitors:returning", New = "visitors:new";

    /// <summary>The tests behind a row's p-value.</summary>
    public const string TwoProportionZTest = "two_proportion_z", FisherExactTest = "fisher_exact", WelchTTest = "welch_t";
}
