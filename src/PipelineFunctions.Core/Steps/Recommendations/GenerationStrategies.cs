namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>How a visitor's source sessions were chosen (the reference's generation_strategy values).</summary>
public static class GenerationStrategies
{
    public const string ReturningPastSessions = "returning_past_sessions";
    public const string ReturningSimilarVisitors = "returning_similar_visitors";
    public const string ReturningPopularFallback = "returning_popular_fallback";
    public const string NewSimilarVisitors = "new_similar_visitors";
    public const string NewPopularFallback = "new_popular_fallback";
}
