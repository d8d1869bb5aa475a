namespace PipelineFunctions.Core.Orchestration;

/// <summary>The ranker retraining that follows a weekly run.</summary>
/// <param name="Current">The model the candidate was compared with (the one it replaces when promoted); null: none.</param>
public sealed record RetrainingOutcome(string Candidate, bool Promoted, string Reason, double CandidateNdcgAt10, double? CurrentNdcgAt10,
    string? Current = null);
