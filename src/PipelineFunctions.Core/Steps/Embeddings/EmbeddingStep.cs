using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>
/// Step 3: embeds every this-year and past session whose text (or model) changed since its vector was computed.
/// The reference's "skip unchanged sessions" had no change detection, so edited sessions kept stale vectors; here
/// each vector is stored with the hash of its text and the model id, and anything that differs is re-embedded.
/// <para>
/// A fan-out of batches: the plan (<see cref="BeginAsync"/>) reads the sessions and their stamps, fits or loads the
/// model once, and writes the stale sessions as batches of <c>embeddings.batch_size</c> (parts/batches/&lt;n&gt;.json);
/// each batch (<see cref="EmbedBatchAsync"/>) loads that same model (never fits it), embeds and stores its vectors (a
/// keyed upsert) and leaves its counts beside its batch; the fan-in (<see cref="FinishAsync"/>) adds them up and
/// publishes the manifest. <see cref="RunAsync"/> runs the same plan, batches and fan-in in one process.
/// </para>
/// </summary>
public sealed class EmbeddingStep(ILogger<EmbeddingStep> logger, TimeProvider time)
{
    public const string StepName = "embeddings";
    public const string MetadataName = "metadata.json";

    public async Task<EmbeddingResult> RunAsync(EmbeddingRequest request, CancellationToken cancellationToken = default)
    {
        var plan = await BeginAsync(request, time.GetUtcNow(), cancellationToken);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = request.Config.Embeddings.MaxBatchesInFlight, CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Batches), parallel, async (batch, token) =>
            await EmbedBatchAsync(request, batch, token));
        return await FinishAsync(request, cancellationToken);
    }

    /// <summary>The plan: which sessions are stale, written as batches for the parts, with the model they must use.</summary>
    internal async Task<EmbeddingPlan> BeginAsync(EmbeddingRequest request, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var config = request.Config;
        var environment = Environment(request);
        using var scope = Scope(config, request.RunId);
        await using var graph = await request.Graphs.OpenAsync(Identity(config, environment), cancellationToken);
        var descriptions = config.Embeddings.IncludeStreamDescriptions
            ? (await graph.ReadStreamsAsync(cancellationToken)).ToDictionary(s => s.Stream, s => s.Description, StringComparer.OrdinalIgnoreCase)
            : null;
        var sessions = new List<StaleSession>();
        foreach (var year in new[] { SessionYear.ThisYear, SessionYear.Past })
            foreach (var session in await graph.ReadSessionsAsync(year, cancellationToken))
            {
                var text = SessionText.Build(session, descriptions);
                sessions.Add(new StaleSession(year, session.SessionId, text, SessionText.Hash(text)));
            }
        if (sessions.Count == 0)
            throw new PipelineInputException($"graph {environment}/{config.Event.Name}", "holds no sessions: run step 2 (graph preparation) first");

        using var embedder = await request.Embedders.GetAsync(config, sessions.Select(s => s.Text).ToList(), request.Refit, cancellationToken);
        var stamps = (await graph.ReadEmbeddingStampsAsync(cancellationToken)).ToDictionary(s => (s.Year, s.SessionId));
        var stale = sessions.Where(s => !stamps.TryGetValue((s.Year, s.Id), out var stamp) || stamp.TextHash != s.Hash
            || stamp.Model != embedder.ModelId).ToList();
        var changed = stale.Count(s => stamps.ContainsKey((s.Year, s.Id)));

        var batches = stale.Chunk(config.Embeddings.BatchSize).ToList();
        for (var i = 0; i < batches.Count; i++)
            await PartArtifacts.WriteAsync(request.Store, BatchPath(request, i),
                new EmbeddingBatch(embedder.ModelId, embedder.Dimensions, batches[i]), cancellationToken);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["sessions"] = sessions.Count,
            ["sessions_this_year"] = sessions.Count(s => s.Year == SessionYear.ThisYear),
            ["sessions_past"] = sessions.Count(s => s.Year == SessionYear.Past),
            ["embedded"] = stale.Count,
            ["embedded_new"] = stale.Count - changed,
            ["embedded_changed"] = changed,
            ["unchanged_kept"] = sessions.Count - stale.Count,
        };
        var plan = new EmbeddingPlan(startedAt, embedder.ModelId, embedder.Dimensions, batches.Count, counts);
        await PartArtifacts.WriteAsync(request.Store, PlanPath(request), plan, cancellationToken);
        logger.LogInformation("{Stale} of {Sessions} sessions to embed with {Model}, in {Batches} batches", stale.Count, sessions.Count,
            embedder.ModelId, batches.Count);
        return plan;
    }

    /// <summary>
    /// One batch of the plan: embeds it with the plan's model and stores the vectors. Already done (a retry after its
    /// counts were written, for the same batch): returns those counts, reused, without embedding anything.
    /// </summary>
    internal async Task<(EmbeddingBatchResult Result, bool Reused)> EmbedBatchAsync(EmbeddingRequest request, int index,
        CancellationToken cancellationToken)
    {
        var config = request.Config;
        using var scope = Scope(config, request.RunId);
        var (batch, sha256) = await ReadBatchAsync(request, index, cancellationToken);
        var resultPath = ResultPath(request, index);
        if (await PartArtifacts.TryReadAsync<EmbeddingBatchResult>(request.Store, resultPath, cancellationToken) is { } done
            && done.BatchSha256 == sha256)
            return (done, true);

        var embed = Stopwatch.StartNew();
        using var embedder = await request.Embedders.OpenAsync(config, batch.ModelId, cancellationToken);
        var vectors = await embedder.Generator.GenerateAsync(batch.Sessions.Select(s => s.Text), cancellationToken: cancellationToken);
        if (vectors.Count != batch.Sessions.Count)
            throw new InvalidOperationException($"the embedding generator returned {vectors.Count} vectors for {batch.Sessions.Count} texts");
        var embeddings = batch.Sessions.Zip(vectors, (s, v) => new SessionEmbedding(s.Year, s.Id, s.Hash, embedder.ModelId,
            CheckedVector(v, batch.Dimensions, s.Id))).ToList();
        GraphWriteStats written;
        await using (var graph = await request.Graphs.OpenAsync(Identity(config, Environment(request)), cancellationToken))
            written = await graph.StoreEmbeddingsAsync(embeddings, cancellationToken);
        embed.Stop();

        var result = new EmbeddingBatchResult(sha256, batch.Sessions.Count, written.Created + written.Updated, embed.ElapsedMilliseconds);
        await PartArtifacts.WriteAsync(request.Store, resultPath, result, cancellationToken);
        return (result, false);
    }

    /// <summary>The fan-in: every batch of the plan has been stored; publishes the counts, metadata and manifest.</summary>
    internal async Task<EmbeddingResult> FinishAsync(EmbeddingRequest request, CancellationToken cancellationToken)
    {
        var config = request.Config;
        using var scope = Scope(config, request.RunId);
        var plan = await PartArtifacts.ReadAsync<EmbeddingPlan>(request.Store, PlanPath(request), cancellationToken);
        long stored = 0, embedMs = 0;
        for (var i = 0; i < plan.Batches; i++)
        {
            var result = await PartArtifacts.ReadAsync<EmbeddingBatchResult>(request.Store, ResultPath(request, i), cancellationToken);
            stored += result.VectorsStored;
            embedMs += result.EmbedMs;
        }
        var counts = new SortedDictionary<string, long>(plan.Counts.ToDictionary(), StringComparer.Ordinal) { ["vectors_stored"] = stored };

        var folder = RunFolders.StepFolder(config.Event.Name, request.RunId, StepName);
        var finishedAt = time.GetUtcNow();
        var durationMs = (long)(finishedAt - plan.StartedAt).TotalMilliseconds;
        var metadata = new EmbeddingMetadata(StepName, config.Event.Name, request.RunId, Environment(request), plan.ModelId, plan.Dimensions,
            plan.StartedAt, finishedAt, durationMs, embedMs, counts);
        var metadataArtifact = await request.Store.PutAsync(folder.Combine(MetadataName), new MemoryStream(PipelineJson.Serialize(metadata)),
            cancellationToken);
        var manifest = new ArtifactManifest(StepName, config.Event.Name, request.RunId, time.GetUtcNow(), [],
            [new ManifestOutput(MetadataName, metadataArtifact.Uri, metadataArtifact.Sha256, metadataArtifact.Length, null)]);
        var manifestPath = folder.Combine(ArtifactManifest.FileName);
        await request.Store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(manifest)), cancellationToken);

        logger.LogInformation("Embedded {Embedded} of {Sessions} sessions ({Unchanged} unchanged) with {Model} in {ElapsedMs} ms",
            counts["embedded"], counts["sessions"], counts["unchanged_kept"], plan.ModelId, durationMs);
        return new EmbeddingResult(request.Store.GetUri(manifestPath), manifest, metadata);
    }

    /// <summary>The batch and the SHA-256 of its bytes, which its counts record: a re-planned batch with other sessions runs again.</summary>
    private static async Task<(EmbeddingBatch Batch, string Sha256)> ReadBatchAsync(EmbeddingRequest request, int index,
        CancellationToken cancellationToken)
    {
        var path = BatchPath(request, index);
        using var bytes = new MemoryStream();
        try
        {
            await using var stream = await request.Store.OpenReadAsync(path, cancellationToken);
            await stream.CopyToAsync(bytes, cancellationToken);
        }
        catch (ArtifactNotFoundException)
        {
            throw new InvalidOperationException($"{path}: step 3 has no batch {index}; its plan has not written it");
        }
        var batch = JsonSerializer.Deserialize<EmbeddingBatch>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), PipelineJson.Options)
            ?? throw new InvalidOperationException($"{path}: the batch is empty");
        return (batch, Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length))));
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

    private static string Environment(EmbeddingRequest request) => request.Environment ?? request.Config.Graph.Environment;

    private static GraphIdentity Identity(EventConfig config, string environment) =>
        new(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);

    private static ArtifactPath PlanPath(EmbeddingRequest request) =>
        PartArtifacts.PathOf(request.Config.Event.Name, request.RunId, StepName, "plan.json");

    private static ArtifactPath BatchPath(EmbeddingRequest request, int index) =>
        PartArtifacts.PathOf(request.Config.Event.Name, request.RunId, StepName, "batches", BatchName(index) + ".json");

    private static ArtifactPath ResultPath(EmbeddingRequest request, int index) =>
        PartArtifacts.PathOf(request.Config.Event.Name, request.RunId, StepName, "batches", BatchName(index) + ".result.json");

    private static string BatchName(int index) => index.ToString("D5", CultureInfo.InvariantCulture);

    private IDisposable? Scope(EventConfig config, string runId) => logger.BeginScope(new Dictionary<string, object>
    {
        ["event"] = config.Event.Name, ["runId"] = runId, ["step"] = StepName
    });
}
