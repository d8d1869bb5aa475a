namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>One batch of step 3's stale sessions (parts/batches/&lt;n&gt;.json), with the model the plan chose for it.</summary>
internal sealed record EmbeddingBatch(string ModelId, int Dimensions, IReadOnlyList<StaleSession> Sessions);
