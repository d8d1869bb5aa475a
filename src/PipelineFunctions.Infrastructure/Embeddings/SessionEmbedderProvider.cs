using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Embeddings;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// Step 3's generator per the config's embeddings.generator. local: the event's fitted model, kept in the artifact
/// store at models/&lt;event&gt;/embeddings/local/model.zip so later runs embed new sessions with the same model; fitted
/// on the event's session texts when there is none, when asked to refit, or when the configured dimensions changed.
/// azure_openai: the deployment named by the settings, nothing to fit. Any other: one of the generators the host offers
/// (<paramref name="offered"/>, e.g. minilm in the hosts that reference its project).
/// </summary>
/// <param name="offered">Generators this host adds to local and azure_openai; null: none.</param>
public sealed class SessionEmbedderProvider(IArtifactStore store, AzureOpenAIEmbeddingSettings? azureOpenAI,
    IEnumerable<ISessionEmbeddingGeneratorFactory>? offered = null) : ISessionEmbedderProvider
{
    private volatile LocalSessionEmbedder? _lastOpened;
    private readonly Dictionary<string, ISessionEmbeddingGeneratorFactory> _offered =
        (offered ?? []).ToDictionary(f => f.Generator, StringComparer.Ordinal);

    public static ArtifactPath LocalModelPath(string eventName) => ArtifactPath.Parse($"models/{eventName}/embeddings/local/model.zip");

    public async Task<SessionEmbedder> GetAsync(EventConfig config, IReadOnlyList<string> corpus, bool refit, CancellationToken cancellationToken)
    {
        switch (config.Embeddings.Generator)
        {
            case EmbeddingGenerators.Local:
                var local = await LocalAsync(config, corpus, refit, cancellationToken);
                return new SessionEmbedder(local, local.ModelId, local.Dimensions);
            case EmbeddingGenerators.AzureOpenAI:
                var settings = azureOpenAI ?? throw new PipelineInputException(config.SourcePath,
                    "embeddings.generator is azure_openai but " +
                    "no Azure OpenAI endpoint and deployment are configured (azure-endpoint, azure-deployment)", field: "embeddings.generator");
                var remote = new AzureOpenAISessionEmbedder(settings with { Dimensions = settings.Dimensions ?? config.Embeddings.Dimensions });
                return new SessionEmbedder(remote, $"azure-openai:{settings.Deployment}:{config.Embeddings.Dimensions}",
                    config.Embeddings.Dimensions);
            default:
                if (_offered.TryGetValue(config.Embeddings.Generator, out var factory)) return factory.Create(config);
                throw new PipelineInputException(config.SourcePath, UnavailableReason(config)!, field: "embeddings.generator");
        }
    }

    public string? UnavailableReason(EventConfig config)
    {
        var generator = config.Embeddings.Generator;
        if (generator is EmbeddingGenerators.Local or EmbeddingGenerators.AzureOpenAI || _offered.ContainsKey(generator)) return null;
        var available = string.Join(", ", new[] { EmbeddingGenerators.Local, EmbeddingGenerators.AzureOpenAI }.Concat(_offered.Keys.Order()));
        return EmbeddingGenerators.All.Contains(generator)
            ? $"embeddings.generator is {generator}, which this host does not offer (it offers {available}): choose one of those, "
              + "or run the event in a host that offers it (pa and pa serve offer minilm)"
            : $"unknown generator '{generator}' in embeddings.generator (this host offers {available})";
    }

    public async Task<SessionEmbedder> OpenAsync(EventConfig config, string modelId, CancellationToken cancellationToken)
    {
        var embedder = config.Embeddings.Generator == EmbeddingGenerators.Local
            ? await StoredLocalAsync(config, modelId, cancellationToken)
            : await GetAsync(config, [], refit: false, cancellationToken);
        if (embedder.ModelId == modelId) return embedder;
        embedder.Dispose();
        throw new InvalidOperationException($"step 3's plan chose the embedding model {modelId}, but {config.Embeddings.Generator} now gives "
            + $"{embedder.ModelId} (refitted or reconfigured by another run since): run step 3 again");
    }

    private async Task<SessionEmbedder> StoredLocalAsync(EventConfig config, string modelId, CancellationToken cancellationToken)
    {
        // A model id is the hash of the model's content, so the one loaded last is that model whatever the store holds now;
        // batches in one process then load it once. Disposing a local embedder releases nothing, so sharing it is safe.
        if (_lastOpened is { } last && last.ModelId == modelId) return new SessionEmbedder(last, last.ModelId, last.Dimensions);
        var path = LocalModelPath(config.Event.Name);
        if (!await store.ExistsAsync(path, cancellationToken))
            throw new InvalidOperationException($"{path}: no local embedding model, but step 3's plan chose {modelId}: run step 3 again");
        await using var saved = await store.OpenReadAsync(path, cancellationToken);
        var loaded = await LocalSessionEmbedderTrainer.LoadAsync(saved, cancellationToken);
        if (loaded.ModelId == modelId) _lastOpened = loaded;
        return new SessionEmbedder(loaded, loaded.ModelId, loaded.Dimensions);
    }

    private async Task<LocalSessionEmbedder> LocalAsync(EventConfig config, IReadOnlyList<string> corpus, bool refit,
        CancellationToken cancellationToken)
    {
        var path = LocalModelPath(config.Event.Name);
        if (!refit && await store.ExistsAsync(path, cancellationToken))
        {
            await using var saved = await store.OpenReadAsync(path, cancellationToken);
            var loaded = await LocalSessionEmbedderTrainer.LoadAsync(saved, cancellationToken);
            if (loaded.Dimensions == config.Embeddings.Dimensions && loaded.Seed == config.Embeddings.Seed) return _lastOpened = loaded;
            loaded.Dispose();
        }

        // Fit works on the model as saved (its featurizer is loaded back from the saved bytes), so batches in this process can
        // use it as they would the stored copy, without loading that again.
        var fitted = LocalSessionEmbedderTrainer.Fit(corpus, config.Embeddings.Dimensions, config.Embeddings.Seed);
        using var buffer = new MemoryStream();
        await fitted.SaveAsync(buffer, cancellationToken);
        buffer.Position = 0;
        await store.PutAsync(path, buffer, cancellationToken);
        return _lastOpened = fitted;
    }
}
