namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>One training example: a (visitor, session) pair of a query group, labelled 1 when the visitor attended.</summary>
public readonly record struct RankingExample(uint Group, float Label, float[] Features);
