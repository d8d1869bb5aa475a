namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>What one part reports back: a few counts, and whether an earlier run's identical part was reused.</summary>
public sealed record StepPartResult(int Wave, int Index, bool Reused, IReadOnlyDictionary<string, long> Counts);
