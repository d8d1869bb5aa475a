using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>What one processor wrote (per node label or relationship type) and counted.</summary>
public sealed record GraphProcessorResult(
    string Processor, long DurationMs, IReadOnlyDictionary<string, GraphWriteStats> Writes, IReadOnlyDictionary<string, long> Counts);
