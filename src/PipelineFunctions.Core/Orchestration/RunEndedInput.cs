namespace PipelineFunctions.Core.Orchestration;

/// <summary>The RecordRunEnd activity's input: the run's instance id and its summary (the steps without their artifact lists).</summary>
public sealed record RunEndedInput(string InstanceId, RunSummary Summary);
