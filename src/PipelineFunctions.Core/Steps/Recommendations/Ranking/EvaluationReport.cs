namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>The held-out comparison stored with every trained model and printed by <c>pa evaluate</c>.</summary>
public sealed record EvaluationReport(
    string Event, int Seed, double HoldoutShare, int TrainingVisitors, int HoldoutVisitors, int CandidateSessions,
    int TrainingExamples, string FeatureSchema, IReadOnlyDictionary<string, RankingMetrics> Methods);
