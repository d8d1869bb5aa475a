namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>The held-out comparison stored with every trained model and printed by <c>pa evaluate</c>.</summary>
public sealed record EvaluationReport(
    string Event, int Seed, double HoldoutShare, int TrainingVisitors, int HoldoutVisitors, int CandidateSessions,
    int TrainingExamples, string FeatureSchema, IReadOnlyDictionary<string, RankingMetrics> Methods)
{
    /// <summary>
    /// The same scores per kind of held-out visitor (<see cref="EvaluationGroups.WithinShow"/>): whether their own history
    /// crosses a change of wording matters for every text signal. Absent in reports stored before it existed.
    /// </summary>
    public IReadOnlyDictionary<string, EvaluationGroup>? ByVisitorKind { get; init; }
}
