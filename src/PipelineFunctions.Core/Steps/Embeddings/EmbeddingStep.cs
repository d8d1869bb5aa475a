using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>
/// Step 3: embeds every this-year and past session whose text (or model) changed since its vector was computed.
/// The reference's "skip unchanged sessions" had no change detection, so edited sessions kept stale vectors; here
/// each vector is stored with the hash of its text and the model id, and anything that differs is re-embedded.
/// Vectors are stored after each batch, so a retried step resumes where it stopped.
/// </summary>
public sealed class EmbeddingStep(ILogger<EmbeddingStep> logger, TimeProvider time)
{
    public const string StepName = "embeddings";
    public const string MetadataName = "metadata.json";

    public async Task<EmbeddingResult> RunAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        var config = request.Config;
        var environment = request.Environment ?? config.Graph.Environment;
        var folder = RunFolders.StepFolder(config.Event.Name, request.RunId, StepName);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["event"] = config.Event.Name, ["runId"] = request.RunId, ["step"] = StepName
        });
        var startedAt = time.GetUtcNow();
        var total = Stopwatch.StartNew();
        var identity = new GraphIdentity(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);

        await using var graph = await request.Graphs.OpenAsync(identity, cancellationToken);
        var descriptions = config.Embeddings.IncludeStreamDescriptions
            ? (await graph.ReadStreamsAsync(cancellationToken)).ToDictionary(s => s.Stream, s => s.Description, StringComparer.OrdinalIgnoreCase)
            : null;
        var sessions = new List<(SessionYear Year, string Id, string Text, string Hash)>();
        foreach (var year in new[] { SessionYear.ThisYear, SessionYear.Past })
            foreach (var session in await graph.ReadSessionsAsync(year, cancellationToken))
            {
                var text = SessionText.Build(session, descriptions);
                sessions.Add((year, session.SessionId, text, SessionText.Hash(text)));
            }
        if (sessions.Count == 0)
            throw new PipelineInputException($"graph {environment}/{config.Event.Name}", "holds no sessions: run step 2 (graph preparation) first");

        using var embedder = await request.Embedders.GetAsync(config, sessions.Select(s => s.Text).ToList(), request.Refit, cancellationToken);
        var stamps = (await graph.ReadEmbeddingStampsAsync(cancellationToken)).ToDictionary(s => (s.Year, s.SessionId));
        var stale = sessions.Where(s => !stamps.TryGetValue((s.Year, s.Id), out var stamp) || stamp.TextHash != s.Hash
            || stamp.Model != embedder.ModelId).ToList();
        var changed = stale.Count(s => stamps.ContainsKey((s.Year, s.Id)));

        var embed = Stopwatch.StartNew();
        long stored = 0;
        foreach (var batch in stale.Chunk(config.Embeddings.BatchSize))
        {
            var vectors = await embedder.Generator.GenerateAsync(batch.Select(s => s.Text), cancellationToken: cancellationToken);
            if (vectors.Count != batch.Length)
                throw new InvalidOperationException($"the embedding generator returned {vectors.Count} vectors for {batch.Length} texts");
            var embeddings = batch.Zip(vectors, (s, v) => new SessionEmbedding(s.Year, s.Id, s.Hash, embedder.ModelId,
                CheckedVector(v, embedder.Dimensions, s.Id))).ToList();
            stored += (await graph.StoreEmbeddingsAsync(embeddings, cancellationToken)) is var w ? w.Created + w.Updated : 0;
        }
        embed.Stop();

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["sessions"] = sessions.Count,
            ["sessions_this_year"] = sessions.Count(s => s.Year == SessionYear.ThisYear),
            ["sessions_past"] = sessions.Count(s => s.Year == SessionYear.Past),
            ["embedded"] = stale.Count,
            ["embedded_new"] = stale.Count - changed,
            ["embedded_changed"] = changed,
            ["unchanged_kept"] = sessions.Count - stale.Count,
            ["vectors_stored"] = stored,
        };
        total.Stop();
        var metadata = new EmbeddingMetadata(StepName, config.Event.Name, request.RunId, environment, embedder.ModelId, embedder.Dimensions,
            startedAt, time.GetUtcNow(), total.ElapsedMilliseconds, embed.ElapsedMilliseconds, counts);
        var metadataArtifact = await request.Store.PutAsync(folder.Combine(MetadataName), new MemoryStream(PipelineJson.Serialize(metadata)),
            cancellationToken);
        var manifest = new ArtifactManifest(StepName, config.Event.Name, request.RunId, time.GetUtcNow(), [],
            [new ManifestOutput(MetadataName, metadataArtifact.Uri, metadataArtifact.Sha256, metadataArtifact.Length, null)]);
        var manifestPath = folder.Combine(ArtifactManifest.FileName);
        await request.Store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(manifest)), cancellationToken);

        logger.LogInformation("Embedded {Embedded} of {Sessions} sessions ({Unchanged} unchanged) with {Model} in {ElapsedMs} ms",
            stale.Count, sessions.Count, sessions.Count - stale.Count, embedder.ModelId, total.ElapsedMilliseconds);
        return new EmbeddingResult(request.Store.GetUri(manifestPath), manifest, metadata);
    }

    /// <summary>A vector of the wrong size, or with NaN, would poison every similarity computed from it: refuse it here.</summary>
    private static float[] CheckedVector(Embedding<float> embedding, int dimensions, string sessionId)
    {
        var vector = embedding.Vector.ToArray();
        if (vector.Length != dimensions)
            throw new InvalidOperationException($"session {sessionId}: the embedding has {vector.Length} dimensions, the model {dimensions}");
        if (vector.Any(v => !float.IsFinite(v)))
            throw new InvalidOperationException($"session {sessionId}: the embedding has a non-finite value");
        return vector;
    }
}
