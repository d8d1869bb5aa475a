namespace PipelineFunctions.Core.Events;

/// <summary>How the orchestration retries each step's activity when it fails for a reason other than bad input.</summary>
public sealed class OrchestrationSettings
{
    public RetrySettings DataPreparation { get; init; } = new();
    public RetrySettings GraphPreparation { get; init; } = new();
    /// <summary>Remote embedding services throttle: more attempts by default.</summary>
    public RetrySettings Embeddings { get; init; } = new() { MaxAttempts = 5 };
    public RetrySettings Recommendations { get; init; } = new();
    public RetrySettings Retraining { get; init; } = new() { MaxAttempts = 2 };
    public RetrySettings PostShowAnalysis { get; init; } = new();
}
