namespace PipelineFunctions.Core.Orchestration;

/// <summary>The ranker retraining that follows a weekly run.</summary>
public sealed record RetrainingOutcome(string Candidate, bool Promoted, string Reason, double CandidateNdcgAt10, double? CurrentNdcgAt10);
