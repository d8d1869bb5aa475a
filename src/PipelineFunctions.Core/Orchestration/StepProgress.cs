using PipelineFunctions.Core.Orchestration.FanOut;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>One step's line in the custom status; <see cref="Parts"/> counts a fanned-out step's finished parts.</summary>
public sealed record StepProgress(string Status, int Attempts, IReadOnlyDictionary<string, long>? Counts, FanOutProgress? Parts = null);
