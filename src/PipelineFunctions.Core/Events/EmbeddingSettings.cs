namespace PipelineFunctions.Core.Events;

public sealed class EmbeddingSettings
{
    /// <summary>local (ML.NET, offline), azure_openai, or minilm (all-MiniLM-L6-v2, offline, in hosts that offer it).</summary>
    public string Generator { get; init; } = "local";
    public int Dimensions { get; init; } = 384;
    public int BatchSize { get; init; } = 100;
    /// <summary>Step 3's batches embedded at once: the cap that keeps a run within the Azure OpenAI deployment's rate limits.</summary>
    public int MaxBatchesInFlight { get; init; } = 4;
    public bool IncludeStreamDescriptions { get; init; }
    /// <summary>Seed of the local model's random projection: the same seed and texts give the same vectors.</summary>
    public int Seed { get; init; } = 42;
}
