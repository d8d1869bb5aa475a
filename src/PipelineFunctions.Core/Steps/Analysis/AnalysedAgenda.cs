namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>A visitor's agenda as step 4 exported it: recommended session ids in agenda order, strategy, returning or new.</summary>
public sealed record AnalysedAgenda(string BadgeId, string Strategy, bool Returning, IReadOnlyList<string> SessionIds);
