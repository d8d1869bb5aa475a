namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>The summary step 3 publishes: how many sessions there are, how many were embedded, and how many kept their vector.</summary>
public sealed record EmbeddingMetadata(
    string Step, string Event, string RunId, string Environment, string ModelId, int Dimensions,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long DurationMs, long EmbedDurationMs,
    IReadOnlyDictionary<string, long> Counts);
