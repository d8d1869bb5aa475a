namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The cross-show (forward in time) evaluation printed by <c>pa evaluate</c> beside the within-show holdout: what the
/// past main show knows, ranking the past secondary show's sessions for its visitors (see <see cref="CrossShowExperiment"/>).
/// </summary>
/// <param name="KnowledgeVisitors">Past main-show visitors who attended a session: the knowledge and the ranker's training queries.</param>
/// <param name="Queries">Past secondary-show visitors who attended one of its sessions: the visitors ranked.</param>
/// <param name="CandidateSessions">The secondary show's sessions, ranked for every query.</param>
public sealed record CrossShowReport(
    string Event, int Seed, int KnowledgeVisitors, int TrainingExamples, int Queries, int CandidateSessions,
    IReadOnlyDictionary<string, RankingMetrics> Methods, IReadOnlyDictionary<string, EvaluationGroup> ByVisitorKind);
