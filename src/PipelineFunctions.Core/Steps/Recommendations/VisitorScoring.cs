namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>A visitor's ranked candidates and how their source sessions were chosen.</summary>
internal sealed record VisitorScoring(VisitorCandidates Candidates, string Strategy, int SourceSessions);
