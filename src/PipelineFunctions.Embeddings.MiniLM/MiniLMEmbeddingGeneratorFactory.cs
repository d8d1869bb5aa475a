using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Embeddings;

namespace PipelineFunctions.Embeddings.MiniLM;

/// <summary>embeddings.generator: minilm, for the hosts that reference this project. Nothing to fit, nothing stored beside the vectors.</summary>
public sealed class MiniLMEmbeddingGeneratorFactory : ISessionEmbeddingGeneratorFactory
{
    public string Generator => EmbeddingGenerators.MiniLM;

    public SessionEmbedder Create(EventConfig config) =>
        new(new MiniLMEmbeddingGenerator(), MiniLMEmbeddingGenerator.ModelId, MiniLMEmbeddingGenerator.Dimensions);
}
