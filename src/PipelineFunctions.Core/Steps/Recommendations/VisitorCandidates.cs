namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>A visitor's scored candidates, ranked by score descending, with the visitor's step-1 columns.</summary>
internal sealed record VisitorCandidates(
    string BadgeId,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<ScoredSession> Ranked);
