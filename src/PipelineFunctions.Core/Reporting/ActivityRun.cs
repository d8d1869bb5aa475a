namespace PipelineFunctions.Core.Reporting;

/// <summary>One activity of a run as the host's history recorded it (the input of <see cref="RunTimeline"/>).</summary>
/// <param name="StartedAt">Null when the host did not record it (history written before it did).</param>
/// <param name="ResultJson">The activity's result as recorded; null when it failed.</param>
public sealed record ActivityRun(string Name, DateTime? StartedAt, DateTime FinishedAt, string? ResultJson, bool Failed);
