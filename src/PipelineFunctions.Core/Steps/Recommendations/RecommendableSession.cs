namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// A this-year session as step 4 needs it after scoring: streams for the business rules, date/time for clashes, theatre for capacity.
/// </summary>
internal sealed record RecommendableSession(
    string SessionId,
    string Title,
    IReadOnlyList<string> Streams,
    DateOnly Date,
    TimeOnly Start,
    TimeOnly End,
    string Theatre);
