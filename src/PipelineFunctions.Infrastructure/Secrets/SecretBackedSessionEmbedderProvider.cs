using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Secrets;

/// <summary>
/// <see cref="SessionEmbedderProvider"/> with its Azure OpenAI settings read from the secrets when a run asks for the
/// azure_openai generator (so a run on the local embedder never needs Key Vault), fresh within the resolver's cache time.
/// </summary>
/// <param name="offered">Generators the host adds to local and azure_openai; null: none.</param>
public sealed class SecretBackedSessionEmbedderProvider(IArtifactStore store, PipelineSecretResolver secrets,
    IEnumerable<ISessionEmbeddingGeneratorFactory>? offered = null) : ISessionEmbedderProvider
{
    private readonly IReadOnlyList<ISessionEmbeddingGeneratorFactory> _offered = [.. offered ?? []];

    public const string AzureOpenAIGenerator = "azure_openai";

    public async Task<SessionEmbedder> GetAsync(EventConfig config, IReadOnlyList<string> corpus, bool refit, CancellationToken cancellationToken) =>
        await (await ProviderAsync(config, cancellationToken)).GetAsync(config, corpus, refit, cancellationToken);

    public async Task<SessionEmbedder> OpenAsync(EventConfig config, string modelId, CancellationToken cancellationToken) =>
        await (await ProviderAsync(config, cancellationToken)).OpenAsync(config, modelId, cancellationToken);

    public string? UnavailableReason(EventConfig config) => new SessionEmbedderProvider(store, null, _offered).UnavailableReason(config);

    private async Task<SessionEmbedderProvider> ProviderAsync(EventConfig config, CancellationToken cancellationToken)
    {
        var azureOpenAI = config.Embeddings.Generator == AzureOpenAIGenerator ? await secrets.ResolveAzureOpenAIAsync(cancellationToken) : null;
        return new SessionEmbedderProvider(store, azureOpenAI, _offered);
    }
}
