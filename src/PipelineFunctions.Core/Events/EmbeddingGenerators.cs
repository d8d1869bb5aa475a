namespace PipelineFunctions.Core.Events;

/// <summary>The values of embeddings.generator: built into every host (local, azure_openai) or offered by some (minilm).</summary>
public static class EmbeddingGenerators
{
    public const string Local = "local";
    public const string AzureOpenAI = "azure_openai";
    /// <summary>all-MiniLM-L6-v2, the reference's sentence model, run locally: only hosts referencing its project offer it.</summary>
    public const string MiniLM = "minilm";
    /// <summary>minilm's vectors: fixed by the model, embeddings.dimensions does not choose them.</summary>
    public const int MiniLMDimensions = 384;

    public static IReadOnlyList<string> All { get; } = [Local, AzureOpenAI, MiniLM];
}
