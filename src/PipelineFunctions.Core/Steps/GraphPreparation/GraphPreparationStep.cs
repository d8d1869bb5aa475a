using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: loads step 1's artifacts (verified against its manifest) into the agenda graph, as a fan-out of processors.
/// Wave 0 writes visitors and sessions/streams; wave 1, whose links need those nodes, the job-role streams, specialisation
/// streams and visitor relationships. Each processor is one part (<see cref="RunProcessorAsync"/>): it reads only its own
/// step-1 artifacts, writes through its own graph connection and leaves its result at parts/&lt;processor&gt;.json;
/// <see cref="FinishAsync"/> counts the graph and publishes the manifest. Every write is a keyed MERGE, so a retried or
/// resumed processor adds nothing twice. <see cref="RunAsync"/> runs the same plan, parts and fan-in in one process.
/// </summary>
public sealed class GraphPreparationStep(ILogger<GraphPreparationStep> logger, TimeProvider time)
{
    public const string StepName = "graph_preparation";
    public const string MetadataName = "metadata.json";

    /// <summary>The processors by wave: a wave starts when the one before has finished.</summary>
    internal static readonly IReadOnlyList<IReadOnlyList<IGraphProcessor>> Processors =
    [
        [new VisitorProcessor(), new SessionStreamProcessor()],
        [new JobRoleStreamProcessor(), new SpecialisationStreamProcessor(), new VisitorRelationshipProcessor()],
    ];

    public static GraphIdentity Identity(EventConfig config, string environment) =>
        new(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);

    public async Task<GraphPreparationResult> RunAsync(GraphPreparationRequest request, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        var waves = await BeginAsync(request, cancellationToken);
        for (var wave = 0; wave < waves.Count; wave++)
        {
            var current = wave;
            await Task.WhenAll(Enumerable.Range(0, waves[current])
                .Select(index => RunProcessorAsync(request, startedAt, current, index, cancellationToken)));
        }
        return await FinishAsync(request, startedAt, cancellationToken);
    }

    /// <summary>The plan: checks step 1's manifest and the graph's schema; returns the number of processors in each wave.</summary>
    internal async Task<IReadOnlyList<int>> BeginAsync(GraphPreparationRequest request, CancellationToken cancellationToken)
    {
        var manifest = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        GraphPreparationInputs.CheckIsStep1(manifest);
        await using (var graph = await request.Graphs.OpenAsync(Identity(request.Config, Environment(request)), cancellationToken))
            await graph.EnsureSchemaAsync(cancellationToken);
        return Processors.Select(wave => wave.Count).ToList();
    }

    /// <summary>
    /// One processor of the plan started at <paramref name="planStartedAt"/>. Already done for that plan (a retry after
    /// its result was written): returns that result, reused, without touching the graph.
    /// </summary>
    internal async Task<(GraphProcessorResult Result, bool Reused)> RunProcessorAsync(GraphPreparationRequest request, DateTimeOffset planStartedAt,
        int wave, int index, CancellationToken cancellationToken)
    {
        if (wave < 0 || wave >= Processors.Count || index < 0 || index >= Processors[wave].Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"step 2 has no processor {index} in wave {wave}");
        var processor = Processors[wave][index];
        var config = request.Config;
        using var scope = Scope(config, request.RunId);
        var path = PartPath(request, processor.Name);
        if (await PartArtifacts.TryReadAsync<GraphProcessorPart>(request.Store, path, cancellationToken) is { } done
            && done.PlanStartedAt == planStartedAt)
            return (done.Result, true);

        var read = Stopwatch.StartNew();
        var manifest = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        var inputs = await GraphPreparationInputs.ReadAsync(request.Store, manifest, processor.Inputs, cancellationToken);
        read.Stop();
        var identity = Identity(config, Environment(request));
        var context = new GraphProcessorContext(config, identity, inputs, Mode(request));
        GraphProcessorResult result;
        // Each processor has its own connection: a graph instance is not for concurrent use.
        await using (var graph = await request.Graphs.OpenAsync(identity, cancellationToken))
            result = await processor.RunAsync(context, graph, cancellationToken);
        var part = new GraphProcessorPart(planStartedAt, read.ElapsedMilliseconds, result);
        await PartArtifacts.WriteAsync(request.Store, path, part, cancellationToken);
        logger.LogInformation("Processor {Processor} done in {ElapsedMs} ms (reading {ReadMs} ms)", processor.Name, result.DurationMs,
            read.ElapsedMilliseconds);
        return (result, false);
    }

    /// <summary>The fan-in: every processor of the plan has run; counts the graph and publishes the metadata and manifest.</summary>
    internal async Task<GraphPreparationResult> FinishAsync(GraphPreparationRequest request, DateTimeOffset planStartedAt,
        CancellationToken cancellationToken)
    {
        var config = request.Config;
        var environment = Environment(request);
        var mode = Mode(request);
        using var scope = Scope(config, request.RunId);
        var results = new SortedDictionary<string, GraphProcessorResult>(StringComparer.Ordinal);
        long readMs = 0;
        foreach (var processor in Processors.SelectMany(wave => wave))
        {
            var part = await PartArtifacts.ReadAsync<GraphProcessorPart>(request.Store, PartPath(request, processor.Name), cancellationToken);
            if (part.PlanStartedAt != planStartedAt)
                throw new InvalidOperationException($"step 2's processor {processor.Name} has not run for the plan of {planStartedAt:O}");
            results[processor.Name] = part.Result;
            readMs += part.ReadMs;
        }

        var identity = Identity(config, environment);
        GraphCounts counts;
        await using (var graph = await request.Graphs.OpenAsync(identity, cancellationToken))
            counts = await graph.CountAsync(cancellationToken);

        var manifest = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        var folder = RunFolders.StepFolder(config.Event.Name, request.RunId, StepName);
        var finishedAt = time.GetUtcNow();
        var durationMs = (long)(finishedAt - planStartedAt).TotalMilliseconds;
        var metadata = new GraphPreparationMetadata(StepName, config.Event.Name, request.RunId, environment, mode, planStartedAt, finishedAt,
            durationMs, readMs, results, counts);
        var stored = await request.Store.PutAsync(folder.Combine(MetadataName), new MemoryStream(PipelineJson.Serialize(metadata)),
            cancellationToken);
        var stepManifest = new ArtifactManifest(StepName, config.Event.Name, request.RunId, time.GetUtcNow(),
            GraphPreparationInputs.Consumed(manifest).Select(o => new ManifestInput(o.Name, o.Uri, o.Sha256, o.Bytes)).ToList(),
            [new ManifestOutput(MetadataName, stored.Uri, stored.Sha256, stored.Length, null)]);
        var manifestPath = folder.Combine(ArtifactManifest.FileName);
        await request.Store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(stepManifest)), cancellationToken);

        logger.LogInformation("Graph {Environment} ({Mode}) prepared in {ElapsedMs} ms", environment, mode, durationMs);
        return new GraphPreparationResult(request.Store.GetUri(manifestPath), stepManifest, metadata);
    }

    private static string Environment(GraphPreparationRequest request) => request.Environment ?? request.Config.Graph.Environment;

    private static GraphWriteMode Mode(GraphPreparationRequest request) =>
        request.Mode ?? (request.Config.Graph.CreateOnlyNew ? GraphWriteMode.Incremental : GraphWriteMode.Full);

    private static ArtifactPath PartPath(GraphPreparationRequest request, string processor) =>
        PartArtifacts.PathOf(request.Config.Event.Name, request.RunId, StepName, processor + ".json");

    private IDisposable? Scope(EventConfig config, string runId) => logger.BeginScope(new Dictionary<string, object>
    {
        ["event"] = config.Event.Name, ["runId"] = runId, ["step"] = StepName
    });
}
