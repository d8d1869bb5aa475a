namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// A shard's result for one visitor: the best candidates after the business rules (at most the context's depth; sessions
/// as indexes into the context's sessions), whether the list was cut, the strategy and rule notes, and the visitor's
/// export columns (<see cref="RecommendationExports.VisitorColumns"/>), so the fan-in needs nothing else of the visitor.
/// Each candidate's reason is a code (<see cref="RecommendationReasonCode"/>) and an argument, rendered to text at the fan-in.
/// </summary>
internal sealed record ScoredVisitor(
    string BadgeId, IReadOnlyList<string> ExportValues, string Strategy, IReadOnlyList<string> Notes, bool Truncated, int[] Sessions,
    double[] Scores, byte[] ReasonCodes, int[] ReasonArguments);
