using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Embeddings;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 3's change detection, with a small deterministic generator (a hashed bag of words) standing in for the
/// model, so the test sees exactly which texts were embedded. The real embedders have their own tests.
/// </summary>
public sealed class EmbeddingStepTests : IDisposable
{
    private readonly PipelineFixture _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    private async Task<(EmbeddingResult Result, RecordingProvider Provider)> EmbedAsync(string modelId = "bag-of-words-v1", string runId = "r1",
        bool refit = false)
    {
        var provider = new RecordingProvider(modelId);
        var result = await new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new EmbeddingRequest(_pipeline.Config, _pipeline.Store, _pipeline.Graphs, provider, runId, Refit: refit));
        return (result, provider);
    }

    [Fact]
    public async Task First_run_embeds_every_session_of_both_years_and_stores_normalised_float32_vectors()
    {
        var prepared = await _pipeline.PrepareAsync();
        var graphed = await _pipeline.GraphAsync(prepared.ManifestUri);

        var (result, provider) = await EmbedAsync();

        var sessions = graphed.Metadata.Graph.Nodes[GraphLabels.SessionsThisYear] + graphed.Metadata.Graph.Nodes[GraphLabels.SessionsPastYear];
        Assert.Equal(sessions, result.Metadata.Counts["embedded_new"]);
        Assert.Equal(sessions, provider.Embedded.Count);
        Assert.All(provider.Batches, size => Assert.InRange(size, 1, _pipeline.Config.Embeddings.BatchSize));
        await using var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity());
        var vectors = await graph.ReadEmbeddingsAsync(SessionYear.ThisYear);
        Assert.Equal(graphed.Metadata.Graph.Nodes[GraphLabels.SessionsThisYear], vectors.Count);
        Assert.All(vectors, v => Assert.Equal(RecordingProvider.Dimensions, v.Vector.Length));
        Assert.All(vectors, v => Assert.Equal("bag-of-words-v1", v.Model));
        // The text a session is embedded from holds its title and streams.
        var session = (await graph.ReadSessionsAsync(SessionYear.ThisYear))[0];
        Assert.Contains(session.Properties["title"],
            provider.Embedded.Single(t => t.StartsWith(session.Properties["title"], StringComparison.Ordinal)));
        Assert.EndsWith("runs/vet_lva/r1/embeddings/manifest.json", result.ManifestUri.ToString());
    }

    [Fact]
    public async Task A_second_run_embeds_nothing_and_an_edited_session_is_embedded_again()
    {
        var prepared = await _pipeline.PrepareAsync();
        await _pipeline.GraphAsync(prepared.ManifestUri);
        await EmbedAsync();

        var (unchanged, provider) = await EmbedAsync(runId: "r2");
        Assert.Empty(provider.Embedded);
        Assert.Equal(unchanged.Metadata.Counts["sessions"], unchanged.Metadata.Counts["unchanged_kept"]);

        // Edit one past session's synopsis in the graph (past sessions are upserted, so the node keeps its vector).
        await using (var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity()))
        {
            var session = (await graph.ReadSessionsAsync(SessionYear.Past))[3];
            var edited = new Dictionary<string, string>(session.Properties)
            {
                ["synopsis_stripped"] = "A completely rewritten synopsis about cardiology.",
            };
            await graph.UpsertSessionsAsync(SessionYear.Past, [session with { Properties = edited }], GraphWriteMode.Full);
        }
        var before = await PastVector(3);

        var (changed, changedProvider) = await EmbedAsync(runId: "r3");
        Assert.Equal(1, changed.Metadata.Counts["embedded_changed"]);
        Assert.Equal(0, changed.Metadata.Counts["embedded_new"]);
        Assert.Contains("A completely rewritten synopsis about cardiology.", Assert.Single(changedProvider.Embedded));
        var after = await PastVector(3);
        Assert.NotEqual(before.TextHash, after.TextHash);
        Assert.NotEqual(before.Vector, after.Vector);
    }

    [Fact]
    public async Task A_different_model_makes_every_stored_vector_stale()
    {
        var prepared = await _pipeline.PrepareAsync();
        await _pipeline.GraphAsync(prepared.ManifestUri);
        var (first, _) = await EmbedAsync();

        var (second, provider) = await EmbedAsync("bag-of-words-v2", "r2");
        Assert.Equal(first.Metadata.Counts["sessions"], second.Metadata.Counts["embedded_changed"]);
        Assert.Equal(first.Metadata.Counts["sessions"], provider.Embedded.Count);
    }

    [Fact]
    public async Task Without_sessions_in_the_graph_the_step_says_to_run_step_2()
    {
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => EmbedAsync());
        Assert.Contains("run step 2", error.Message);
    }

    private async Task<SessionEmbedding> PastVector(int index)
    {
        await using var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity());
        var id = (await graph.ReadSessionsAsync(SessionYear.Past))[index].SessionId;
        return (await graph.ReadEmbeddingsAsync(SessionYear.Past)).Single(e => e.SessionId == id);
    }

    /// <summary>Hashes each word into one of 32 buckets and L2-normalises: deterministic, and different texts give different vectors.</summary>
    private sealed class RecordingProvider(string modelId) : ISessionEmbedderProvider, IEmbeddingGenerator<string, Embedding<float>>
    {
        public const int Dimensions = 32;
        public List<string> Embedded { get; } = [];
        public List<int> Batches { get; } = [];

        public Task<SessionEmbedder> GetAsync(EventConfig config, IReadOnlyList<string> corpus, bool refit, CancellationToken cancellationToken) =>
            Task.FromResult(new SessionEmbedder(this, modelId, Dimensions));

        public Task<SessionEmbedder> OpenAsync(EventConfig config, string model, CancellationToken cancellationToken) =>
            model == modelId ? GetAsync(config, [], false, cancellationToken) : throw new InvalidOperationException($"no model {model}");

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            lock (Embedded) // batches run in parallel
            {
                Batches.Add(texts.Count);
                Embedded.AddRange(texts);
            }
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(Embed)));
        }

        private static Embedding<float> Embed(string text)
        {
            var vector = new float[Dimensions];
            foreach (var word in text.Split(' ', '\n', ',', '.'))
                if (word.Length > 0) vector[SHA256.HashData(Encoding.UTF8.GetBytes(word.ToLowerInvariant()))[0] % Dimensions] += 1;
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            return new Embedding<float>(vector.Select(v => v / norm).ToArray());
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
