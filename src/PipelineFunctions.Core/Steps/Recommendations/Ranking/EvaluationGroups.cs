namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>The kinds of evaluated visitor that reports break their scores down by, by what the visitor is ranked from.</summary>
public static class EvaluationGroups
{
    /// <summary>Within-show holdout: ranked with the sessions of their past secondary-show self (another show's words).</summary>
    public const string CrossShowSelf = "cross_show_self";

    /// <summary>Within-show holdout: half their own sessions known, the other half the labels (the same show's words).</summary>
    public const string HalfOwnHistory = "half_own_history";

    /// <summary>Within-show holdout: ranked from their registration alone (similar visitors, else popular sessions).</summary>
    public const string RegistrationOnly = "registration_only";

    /// <summary>Cross-show: ranked with the sessions their main-show self attended.</summary>
    public const string MainShowSelf = "main_show_self";

    /// <summary>Cross-show: no main-show self with sessions, so ranked from similar main-show visitors' sessions.</summary>
    public const string SimilarVisitors = "similar_visitors";

    public static IReadOnlyList<string> WithinShow { get; } = [CrossShowSelf, HalfOwnHistory, RegistrationOnly];

    public static IReadOnlyList<string> CrossShow { get; } = [MainShowSelf, SimilarVisitors];
}
