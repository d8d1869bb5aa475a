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

    /// <summary>
    /// The summary as an activity's input, far under Durable's message limits: each step without its artifact lists and,
    /// when <paramref name="keepMetric"/> is given, with only the counts it keeps.
    /// </summary>
    public RunSummary ForActivity(Func<string, bool>? keepMetric = null) => this with
    {
        Steps = Steps.Select(s => s.ForLaterSteps() with
        {
            Metrics = keepMetric is null ? s.Metrics : s.Metrics.Where(m => keepMetric(m.Key)).ToDictionary(),
        }).ToList(),
    };
}
