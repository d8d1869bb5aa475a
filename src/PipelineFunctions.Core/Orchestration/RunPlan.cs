namespace PipelineFunctions.Core.Orchestration;

/// <summary>What the planning activity settled: the validated request, resolved against the event's config.</summary>
public sealed record RunPlan(
    string RunId, string Event, IReadOnlyList<string> Steps, string Environment, bool Incremental, bool Force, bool Retrain,
    IReadOnlyDictionary<string, ActivityRetryPolicy> Retries, string ConfigSha256, bool Analyse = false);
