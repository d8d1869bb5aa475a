using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>Which generator step 3 gets, and that the local model is kept in the store and reused.</summary>
public sealed class SessionEmbedderProviderTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("pa-embedder-provider-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static readonly IReadOnlyList<string> Corpus = SampleSessionTexts.Of("vet_lva").Select(s => s.Text).ToList();
    private static readonly IReadOnlyList<string> OtherCorpus = SampleSessionTexts.Of("ecomm").Select(s => s.Text).ToList();

    private static EventConfig Config(Func<string, string>? edit = null)
    {
        var path = Path.Combine(RepositoryRoot(), "config", "events", "vet_lva.yaml");
        return EventConfigLoader.Parse((edit ?? (y => y))(File.ReadAllText(path)), path);
    }

    [Fact]
    public async Task The_local_model_is_fitted_once_kept_in_the_store_and_reused()
    {
        var store = ArtifactStoreLocator.Open(_folder.FullName);
        var provider = new SessionEmbedderProvider(store, azureOpenAI: null);

        using var first = await provider.GetAsync(Config(), Corpus, refit: false, CancellationToken.None);
        Assert.True(await store.ExistsAsync(SessionEmbedderProvider.LocalModelPath("vet_lva")));
        Assert.Equal(384, first.Dimensions);

        // Asked again with another corpus: the stored model comes back (a fit on that corpus would be another model).
        using var second = await provider.GetAsync(Config(), OtherCorpus, refit: false, CancellationToken.None);
        Assert.Equal(first.ModelId, second.ModelId);
        var text = Corpus[0];
        Assert.Equal((await first.Generator.GenerateAsync([text]))[0].Vector.ToArray(),
            (await second.Generator.GenerateAsync([text]))[0].Vector.ToArray());
    }

    [Fact]
    public async Task Refit_or_a_new_dimension_count_fits_a_new_model_and_replaces_the_stored_one()
    {
        var store = ArtifactStoreLocator.Open(_folder.FullName);
        var provider = new SessionEmbedderProvider(store, azureOpenAI: null);
        using var original = await provider.GetAsync(Config(), Corpus, refit: false, CancellationToken.None);
        var storedHash = await store.GetContentHashAsync(SessionEmbedderProvider.LocalModelPath("vet_lva"));

        using var refitted = await provider.GetAsync(Config(), OtherCorpus, refit: true, CancellationToken.None);
        Assert.NotEqual(original.ModelId, refitted.ModelId);
        Assert.NotEqual(storedHash, await store.GetContentHashAsync(SessionEmbedderProvider.LocalModelPath("vet_lva")));

        using var resized = await provider.GetAsync(Config(y => y.Replace("dimensions: 384", "dimensions: 64")), Corpus, refit: false,
            CancellationToken.None);
        Assert.Equal(64, resized.Dimensions);
        Assert.Equal(64, (await resized.Generator.GenerateAsync([Corpus[0]]))[0].Vector.Length);
    }

    [Fact]
    public async Task A_batch_opens_the_plans_local_model_without_fitting_and_refuses_any_other()
    {
        var store = ArtifactStoreLocator.Open(_folder.FullName);
        var provider = new SessionEmbedderProvider(store, azureOpenAI: null);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.OpenAsync(Config(), "local-tfidf-rp-none", CancellationToken.None));
        Assert.False(await store.ExistsAsync(SessionEmbedderProvider.LocalModelPath("vet_lva")));

        using var planned = await provider.GetAsync(Config(), Corpus, refit: false, CancellationToken.None);
        // Another process: a provider of its own, the model only in the store.
        using var opened = await new SessionEmbedderProvider(store, azureOpenAI: null).OpenAsync(Config(), planned.ModelId, CancellationToken.None);
        Assert.Equal(planned.ModelId, opened.ModelId);
        Assert.Equal((await planned.Generator.GenerateAsync(Corpus.Take(5)))[4].Vector.ToArray(),
            (await opened.Generator.GenerateAsync(Corpus.Take(5)))[4].Vector.ToArray());

        // Refitted by another run since the plan: the batch must not embed with a model the plan did not choose.
        using var refitted = await provider.GetAsync(Config(), OtherCorpus, refit: true, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new SessionEmbedderProvider(store, azureOpenAI: null).OpenAsync(Config(), planned.ModelId, CancellationToken.None));
        Assert.Contains(planned.ModelId, error.Message);
    }

    [Fact]
    public async Task Batches_in_the_planning_process_use_the_model_it_fitted_without_reading_the_store_again()
    {
        var store = ArtifactStoreLocator.Open(_folder.FullName);
        var provider = new SessionEmbedderProvider(store, azureOpenAI: null);
        using var planned = await provider.GetAsync(Config(), Corpus, refit: false, CancellationToken.None);
        // The stored copy made unreadable: only a provider that loads it again can notice.
        await store.PutAsync(SessionEmbedderProvider.LocalModelPath("vet_lva"), new MemoryStream("not a model"u8.ToArray()));

        using var opened = await provider.OpenAsync(Config(), planned.ModelId, CancellationToken.None);
        Assert.Equal((await planned.Generator.GenerateAsync(Corpus.Take(3)))[2].Vector.ToArray(),
            (await opened.Generator.GenerateAsync(Corpus.Take(3)))[2].Vector.ToArray());
        await Assert.ThrowsAnyAsync<Exception>(() =>
            new SessionEmbedderProvider(store, azureOpenAI: null).OpenAsync(Config(), planned.ModelId, CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_opens_the_Azure_OpenAI_deployment_the_plan_chose()
    {
        await using var server = new FakeAzureOpenAIServer();
        var settings = new AzureOpenAIEmbeddingSettings { Endpoint = server.Endpoint, Deployment = "embeddings", ApiKey = "test-key" };
        var provider = new SessionEmbedderProvider(ArtifactStoreLocator.Open(_folder.FullName), settings);
        var config = Config(y => y.Replace("generator: local", "generator: azure_openai").Replace("dimensions: 384", "dimensions: 8"));
        using var planned = await provider.GetAsync(config, Corpus, refit: false, CancellationToken.None);

        using var opened = await provider.OpenAsync(config, planned.ModelId, CancellationToken.None);
        Assert.Equal(8, (await opened.Generator.GenerateAsync(Corpus.Take(2)))[1].Vector.Length);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.OpenAsync(config, "azure-openai:other:8", CancellationToken.None));
    }

    [Fact]
    public async Task Azure_OpenAI_without_settings_is_a_config_error_naming_the_key()
    {
        var provider = new SessionEmbedderProvider(ArtifactStoreLocator.Open(_folder.FullName), azureOpenAI: null);

        var error = await Assert.ThrowsAsync<PipelineInputException>(() =>
            provider.GetAsync(Config(y => y.Replace("generator: local", "generator: azure_openai")), Corpus, refit: false, CancellationToken.None));
        Assert.Equal("embeddings.generator", error.Field);
        Assert.Contains("azure-endpoint", error.Message);
    }

    [Fact]
    public async Task Azure_OpenAI_settings_give_a_generator_of_the_configured_size_against_the_service()
    {
        await using var server = new FakeAzureOpenAIServer();
        var settings = new AzureOpenAIEmbeddingSettings { Endpoint = server.Endpoint, Deployment = "embeddings", ApiKey = "test-key" };
        var provider = new SessionEmbedderProvider(ArtifactStoreLocator.Open(_folder.FullName), settings);
        var config = Config(y => y.Replace("generator: local", "generator: azure_openai").Replace("dimensions: 384", "dimensions: 8"));

        using var embedder = await provider.GetAsync(config, Corpus, refit: false, CancellationToken.None);
        var vectors = await embedder.Generator.GenerateAsync(Corpus.Take(3));

        Assert.Equal(3, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(8, v.Vector.Length));
        Assert.Contains("embeddings", embedder.ModelId);
        Assert.NotEmpty(server.Requests);
        Assert.False(await ArtifactStoreLocator.Open(_folder.FullName).ExistsAsync(SessionEmbedderProvider.LocalModelPath("vet_lva")));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (Directory.Exists(Path.Combine(folder.FullName, "config", "events"))) return folder.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
