namespace PipelineFunctions.Core.Orchestration;

/// <summary>The ranker retraining that follows a weekly run.</summary>
/// <param name="Current">The model the candidate was compared with (the one it replaces when promoted); null: none.</param>
public sealed record RetrainingOutcome(string Candidate, bool Promoted, string Reason, double CandidateNdcgAt10, double? CurrentNdcgAt10,
    string? Current = null)
{
    /// <summary>The current model's NDCG@10 when it was registered (<see cref="CurrentNdcgAt10"/> is on the newest holdout).</summary>
    public double? CurrentRegisteredNdcgAt10 { get; init; }

    /// <summary>
    /// The run's warning when the current model, scored on the newest data, fell more than recommendation.ranking.degradation_margin
    /// below its score at registration; null when it did not (or there was no current model).
    /// </summary>
    public string? Degradation { get; init; }
}
