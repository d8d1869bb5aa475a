using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

public sealed record GraphPreparationMetadata(
    string Step, string Event, string RunId, string Environment, GraphWriteMode Mode,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long DurationMs, long ReadDurationMs,
    IReadOnlyDictionary<string, GraphProcessorResult> Processors, GraphCounts Graph);
