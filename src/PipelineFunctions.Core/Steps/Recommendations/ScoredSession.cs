namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>One candidate session for a visitor with its similarity score.</summary>
// A struct: step 4 holds one per visitor and candidate session (millions at a large show).
internal readonly record struct ScoredSession(string SessionId, double Score);
