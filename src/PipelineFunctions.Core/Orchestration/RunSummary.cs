namespace PipelineFunctions.Core.Orchestration;

/// <summary>The orchestration's output: the request and every step's outcome.</summary>
public sealed record RunSummary(
    string RunId,
    string Event,
    string Status,
    PipelineRunRequest Request,
    DateTime StartedAt,
    DateTime FinishedAt,
    IReadOnlyList<StepOutcome> Steps,
    RetrainingOutcome? Retraining,
    string? Error)
{
    /// <summary>What went wrong without failing the run (e.g. a notification that was not delivered); empty when nothing did.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
