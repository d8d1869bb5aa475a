namespace PipelineFunctions.Core.Steps.DataPreparation;

public sealed record ProcessorMetrics(long DurationMs, IReadOnlyDictionary<string, long> Counts);
