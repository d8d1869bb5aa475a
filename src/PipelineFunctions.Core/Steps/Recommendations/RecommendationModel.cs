namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>A this-year session as step 4 needs it after scoring: streams for the business rules, date/time for clashes, theatre for capacity.</summary>
public sealed record RecommendableSession(
    string SessionId,
    string Title,
    IReadOnlyList<string> Streams,
    DateOnly Date,
    TimeOnly Start,
    TimeOnly End,
    string Theatre);

/// <summary>One candidate session for a visitor with its similarity score.</summary>
// A struct: step 4 holds one per visitor and candidate session (millions at a large show).
public readonly record struct ScoredSession(string SessionId, double Score);

/// <summary>A visitor's scored candidates, ranked by score descending, with the visitor's step-1 columns.</summary>
public sealed record VisitorCandidates(
    string BadgeId,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<ScoredSession> Ranked);

/// <summary>One recommended session, with the ids of the other agenda sessions it overlaps in time.</summary>
public sealed record AgendaItem(string SessionId, double Score, IReadOnlyList<string> OverlappingSessionIds);

/// <summary>A visitor's final agenda, items in score order, plus human-readable notes on what was done to it.</summary>
public sealed record Agenda(string BadgeId, IReadOnlyList<AgendaItem> Items, IReadOnlyList<string> Notes);
