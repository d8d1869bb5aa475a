using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>Step 3 on the vet_lva sample with the azure_openai generator against the fake service: one request per batch.</summary>
public sealed class AzureOpenAIEmbeddingStepTests : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("pa-azure-embedding-step-");
    private readonly FakeAzureOpenAIServer _server = new();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Each_batch_is_one_request_and_every_session_gets_the_deployments_vector()
    {
        var path = Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml");
        var config = EventConfigLoader.Parse(File.ReadAllText(path), path, new Dictionary<string, string>
        {
            ["embeddings.generator"] = "azure_openai", ["embeddings.dimensions"] = "8", ["embeddings.batch_size"] = "7",
            ["embeddings.max_batches_in_flight"] = "3",
        });
        var store = ArtifactStoreLocator.Open(Path.Combine(_folder.FullName, "store"));
        var graphs = new SqliteAgendaGraphFactory(Path.Combine(_folder.FullName, "graph"));
        var prepared = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config, ArtifactStoreLocator.Open(Repository.Sample("vet_lva")), store, "r1"));
        await new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new GraphPreparationRequest(config, prepared.ManifestUri, store, graphs, "r1"));
        // A retried request (429 with Retry-After) stays within its batch.
        _server.Script = n => n == 2 ? ScriptedAnswer.Error(429, "429", new Dictionary<string, string> { ["retry-after-ms"] = "10" }) : null;
        var settings = new AzureOpenAIEmbeddingSettings { Endpoint = _server.Endpoint, Deployment = "embeddings", ApiKey = "test-key" };

        var result = await new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new EmbeddingRequest(config, store, graphs, new SessionEmbedderProvider(store, settings), "r1"));

        var sessions = result.Metadata.Counts["sessions"];
        var answered = _server.Requests.Where(r => r.Number != 2).ToList();
        Assert.Equal((int)Math.Ceiling(sessions / 7.0), answered.Count);
        Assert.All(answered, r => Assert.InRange(r.Inputs.Count, 1, 7));
        Assert.Equal(sessions, answered.Sum(r => r.Inputs.Count));
        Assert.Equal(sessions, result.Metadata.Counts["vectors_stored"]);
        Assert.Equal("azure-openai:embeddings:8", result.Metadata.ModelId);

        await using var graph = await graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev"));
        var stored = (await graph.ReadEmbeddingsAsync(SessionYear.ThisYear)).Concat(await graph.ReadEmbeddingsAsync(SessionYear.Past)).ToList();
        Assert.Equal(sessions, stored.Count);
        Assert.All(stored, e => Assert.Equal((8, "azure-openai:embeddings:8"), (e.Vector.Length, e.Model)));
        Assert.All(stored, e => Assert.Equal(1f, MathF.Sqrt(e.Vector.Sum(v => v * v)), 4));
    }
}
