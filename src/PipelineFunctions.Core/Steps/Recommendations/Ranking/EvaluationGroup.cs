namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>The methods' scores over one kind of evaluated visitor (see <see cref="EvaluationGroups"/>).</summary>
public sealed record EvaluationGroup(int Visitors, IReadOnlyDictionary<string, RankingMetrics> Methods);
