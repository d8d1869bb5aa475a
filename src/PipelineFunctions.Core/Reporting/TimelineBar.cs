namespace PipelineFunctions.Core.Reporting;

/// <summary>One activity on a run's timeline, in seconds from the run's start.</summary>
/// <param name="Label">The row: the step and what part of it ("recommendations: shard 2 of 3").</param>
/// <param name="Step">The pipeline step, or "plan", "retraining", "summary".</param>
/// <param name="Status">succeeded, failed or reused.</param>
public sealed record TimelineBar(string Label, string Step, double StartSeconds, double EndSeconds, string Status);
