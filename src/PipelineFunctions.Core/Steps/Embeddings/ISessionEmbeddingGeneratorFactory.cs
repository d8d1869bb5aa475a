using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>
/// A step-3 generator a host offers beside the built-in ones (local, azure_openai), named by embeddings.generator: a
/// generator with a heavy dependency (e.g. minilm's model and ONNX Runtime) lives in a project of its own that only the
/// hosts offering it reference, and they hand it to the provider through this.
/// </summary>
public interface ISessionEmbeddingGeneratorFactory
{
    /// <summary>The embeddings.generator value that selects it.</summary>
    string Generator { get; }

    /// <summary>
    /// The generator, ready to embed; its model id must identify the model exactly (stored vectors with another id are embedded
    /// again). Called for step 3's plan and again for each of its batches, so a model loaded once per process pays off.
    /// </summary>
    SessionEmbedder Create(EventConfig config);
}
