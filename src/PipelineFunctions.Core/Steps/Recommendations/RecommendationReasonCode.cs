namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Which signal a recommendation's reason names (docs/recommendation-reasons.md). Shards write a code and an integer argument
/// per candidate (one byte and usually one more), and the fan-in renders text only for the sessions it recommends.
/// The values are part of the scored-shard format: add new ones at the end.
/// </summary>
internal enum RecommendationReasonCode : byte
{
    /// <summary>No signal known (a shard written before reasons existed never reaches the fan-in: its format differs).</summary>
    None = 0,
    /// <summary>Closest to a session the visitor attended at a past show; the argument indexes the context's past embeddings.</summary>
    AttendedBefore = 1,
    /// <summary>One of its streams follows from the visitor's specialisation; the argument indexes the session's streams.</summary>
    MatchesSpecialisation = 2,
    /// <summary>One of its streams follows from the visitor's job role; the argument indexes the session's streams.</summary>
    MatchesJobRole = 3,
    /// <summary>Close to what the visitor's most similar past visitors attended; no argument.</summary>
    PopularWithSimilarVisitors = 4,
    /// <summary>Close to one of past shows' most attended sessions; the argument indexes the context's past embeddings, or is -1.</summary>
    PopularBefore = 5,
}
