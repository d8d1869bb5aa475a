using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>The secrets one run needs, resolved for its graph environment. <see cref="ToString"/> shows no secret value.</summary>
/// <param name="AzureOpenAI">Null when no Azure OpenAI endpoint and deployment are configured (the local embedder needs none).</param>
public sealed record PipelineSecrets(string Environment, Neo4jConnectionSettings Neo4j, AzureOpenAIEmbeddingSettings? AzureOpenAI)
{
    public override string ToString() =>
        $"PipelineSecrets {{ Environment = {Environment}, Neo4j = {Neo4j}, AzureOpenAI = {AzureOpenAI?.ToString() ?? "(not configured)"} }}";
}
