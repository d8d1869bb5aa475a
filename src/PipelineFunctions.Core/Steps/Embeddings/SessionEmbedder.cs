using Microsoft.Extensions.AI;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>An embedding generator ready for step 3, with the id of the model behind it (stored with each vector).</summary>
public sealed record SessionEmbedder(IEmbeddingGenerator<string, Embedding<float>> Generator, string ModelId, int Dimensions) : IDisposable
{
    public void Dispose() => Generator.Dispose();
}
