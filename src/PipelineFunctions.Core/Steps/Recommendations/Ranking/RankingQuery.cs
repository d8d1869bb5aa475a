using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A visitor to rank sessions for, with their own past sessions when they are known.</summary>
/// <param name="Returning">Registered last year (a past self is known), with or without attendance.</param>
internal sealed record RankingQuery(VisitorKind Kind, VisitorNode Visitor, IReadOnlyList<string> OwnSessions, bool Returning);
