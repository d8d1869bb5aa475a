namespace PipelineFunctions.Core.Orchestration;

/// <summary>One step's line in the custom status.</summary>
public sealed record StepProgress(string Status, int Attempts, IReadOnlyDictionary<string, long>? Counts);
