namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A trained candidate and how it and the baselines did on the holdout.</summary>
public sealed record RankingExperimentResult(LearnedRanker Candidate, EvaluationReport Report);
