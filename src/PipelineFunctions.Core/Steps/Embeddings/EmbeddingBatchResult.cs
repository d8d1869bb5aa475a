namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>What one batch of step 3 did (parts/batches/&lt;n&gt;.result.json), for the fan-in's counts.</summary>
/// <param name="BatchSha256">The batch file it embedded: a batch with the same bytes is done, one with others runs again.</param>
/// <param name="VectorsStored">Vectors created or changed in the graph.</param>
internal sealed record EmbeddingBatchResult(string BatchSha256, int Embedded, long VectorsStored, long EmbedMs);
