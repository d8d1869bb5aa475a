using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: loads step 1's artifacts (verified against its manifest) into the agenda graph, as a fan-out of parts, each a
/// list of processors run in order. Wave 0 writes sessions, streams and visitors; wave 1, whose links need them, every link
/// that starts at a visitor. Each part (<see cref="RunPartAsync"/>) reads
/// the step-1 artifacts its processors need once, writes through its own graph connection and leaves each processor's
/// result at parts/&lt;processor&gt;.json; <see cref="FinishAsync"/> counts the graph and publishes the manifest. Every write
/// is a keyed MERGE, so a retried or resumed part adds nothing twice. <see cref="RunAsync"/> runs the same plan, parts and
/// fan-in in one process.
/// </summary>
public sealed class GraphPreparationStep(ILogger<GraphPreparationStep> logger, TimeProvider time)
{
    public const string StepName = "graph_preparation";
    public const string MetadataName = "metadata.json";

    /// <summary>
    /// The parts by wave: a wave starts when the one before has finished, and a wave's parts are parallel activities. The
    /// links need the nodes (wave 0); the two stream-link processors share a part, so the visitor tables they both read are
    /// read once. This year's visitors have a part of their own in wave 0 and the past shows' follow the (small) sessions in
    /// the other: with every visitor in one part, one core sat idle for most of the wave (4.4 s at 200,000 visitors). On the
    /// embedded graph (one writer at a time) one part of every visitor processor was about 1.4 s faster at 200,000 visitors
    /// (15.4 s against 16.9 s); parallel parts are kept for a graph that takes writes side by side (Neo4j) and for
    /// instances that each have their own cores.
    /// </summary>
    internal static readonly IReadOnlyList<IReadOnlyList<IReadOnlyList<IGraphProcessor>>> Parts =
    [
        [[new SessionStreamProcessor(), VisitorProcessor.Past()], [VisitorProcessor.ThisYear()]],
        [[new JobRoleStreamProcessor(), new SpecialisationStreamProcessor()], [new VisitorRelationshipProcessor()]],
    ];

    /// <summary>Every processor, in the order the plan runs them.</summary>
    internal static IEnumerable<IGraphProcessor> Processors => Parts.SelectMany(wave => wave).SelectMany(part => part);

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
                .Select(index => RunPartAsync(request, startedAt, current, index, cancellationToken)));
        }
        return await FinishAsync(request, startedAt, cancellationToken);
    }

    /// <summary>The plan: checks step 1's manifest and the graph's schema; returns the number of parts in each wave.</summary>
    internal async Task<IReadOnlyList<int>> BeginAsync(GraphPreparationRequest request, CancellationToken cancellationToken)
    {
        var manifest = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        GraphPreparationInputs.CheckIsStep1(manifest);
        await using (var graph = await request.Graphs.OpenAsync(Identity(request.Config, Environment(request)), cancellationToken))
            await graph.EnsureSchemaAsync(cancellationToken);
        return Parts.Select(wave => wave.Count).ToList();
    }

    /// <summary>
    /// One part of the plan started at <paramref name="planStartedAt"/>: its processors in order, on one connection, after one
    /// read of the step-1 artifacts they need. A processor already done for that plan (a retry after its result was written)
    /// keeps that result without touching the graph; Reused is true when every processor of the part was.
    /// </summary>
    internal async Task<(IReadOnlyList<GraphProcessorResult> Results, bool Reused)> RunPartAsync(GraphPreparationRequest request,
        DateTimeOffset planStartedAt, int wave, int index, CancellationToken cancellationToken)
    {
        if (wave < 0 || wave >= Parts.Count || index < 0 || index >= Parts[wave].Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"step 2 has no part {index} in wave {wave}");
        var processors = Parts[wave][index];
        var config = request.Config;
        using var scope = Scope(config, request.RunId);
        var results = new GraphProcessorResult[processors.Count];
        var toRun = new List<int>();
        for (var i = 0; i < processors.Count; i++)
        {
            if (await PartArtifacts.TryReadAsync<GraphProcessorPart>(request.Store, PartPath(request, processors[i].Name), cancellationToken) is
                { } done && done.PlanStartedAt == planStartedAt)
                results[i] = done.Result;
            else
                toRun.Add(i);
        }
        if (toRun.Count == 0) return (results, true);

        var read = Stopwatch.StartNew();
        var manifest = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        var running = toRun.Select(i => processors[i]).ToList();
        var inputs = await GraphPreparationInputs.ReadAsync(request.Store, manifest, running.SelectMany(p => p.Inputs),
            input => ColumnsOf(running, input, config), cancellationToken);
        read.Stop();
        var identity = Identity(config, Environment(request));
        var context = new GraphProcessorContext(config, identity, inputs, Mode(request));
        // Each part has its own connection: a graph instance is not for concurrent use.
        await using var graph = await request.Graphs.OpenAsync(identity, cancellationToken);
        var readMs = read.ElapsedMilliseconds;
        // Processor k + 1 is prepared (CPU only) while processor k writes; preparations run one after another, in order, and
        // each is let go once written, so that a processor's nodes or links are not held while the next ones write.
        var preparations = toRun.Select(_ => new TaskCompletionSource<GraphProcessorWrite>(TaskCreationOptions.RunContinuationsAsynchronously))
            .ToArray();
        _ = Task.Run(() =>
        {
            for (var k = 0; k < toRun.Count; k++)
            {
                try
                {
                    preparations[k].SetResult(processors[toRun[k]].Prepare(context, cancellationToken));
                }
                catch (Exception e)
                {
                    foreach (var failed in preparations[k..]) failed.TrySetException(e);
                    return;
                }
            }
        }, CancellationToken.None);
        for (var k = 0; k < toRun.Count; k++)
        {
            var (i, processor) = (toRun[k], processors[toRun[k]]);
            var write = await preparations[k].Task;
            preparations[k] = null!;
            results[i] = await write(graph, cancellationToken);
            // The part's one read is counted once, with its first processor, so that the fan-in's sum is the time spent reading.
            var part = new GraphProcessorPart(planStartedAt, readMs, results[i]);
            await PartArtifacts.WriteAsync(request.Store, PartPath(request, processor.Name), part, cancellationToken);
            logger.LogInformation("Processor {Processor} done in {ElapsedMs} ms (reading {ReadMs} ms)", processor.Name, results[i].DurationMs,
                readMs);
            readMs = 0;
        }
        return (results, false);
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
        foreach (var processor in Processors)
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

    /// <summary>The columns of <paramref name="input"/> that the processors reading it use together (null: all).</summary>
    internal static IReadOnlyCollection<string>? ColumnsOf(IEnumerable<IGraphProcessor> processors, string input, EventConfig config)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var processor in processors.Where(p => p.Inputs.Contains(input)))
        {
            if (processor.Columns(input, config) is not { } used) return null;
            columns.UnionWith(used);
        }
        return columns;
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
