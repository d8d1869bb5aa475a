using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: loads step 1's artifacts (verified against its manifest) into the agenda graph. Visitors and
/// sessions/streams are written in parallel; the three link processors, which need those nodes, run next, in
/// parallel too. Every write is a keyed MERGE, so a retried or resumed step adds nothing twice.
/// </summary>
public sealed class GraphPreparationStep(ILogger<GraphPreparationStep> logger, TimeProvider time)
{
    public const string StepName = "graph_preparation";
    public const string MetadataName = "metadata.json";

    public static GraphIdentity Identity(EventConfig config, string environment) =>
        new(config.Event.Name, config.Event.MainEventName, config.Event.SecondaryEventName, environment);

    public async Task<GraphPreparationResult> RunAsync(GraphPreparationRequest request, CancellationToken cancellationToken = default)
    {
        var config = request.Config;
        var environment = request.Environment ?? config.Graph.Environment;
        var mode = request.Mode ?? (config.Graph.CreateOnlyNew ? GraphWriteMode.Incremental : GraphWriteMode.Full);
        var folder = RunFolders.StepFolder(config.Event.Name, request.RunId, StepName);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["event"] = config.Event.Name, ["runId"] = request.RunId, ["step"] = StepName
        });
        var startedAt = time.GetUtcNow();
        var total = Stopwatch.StartNew();

        var manifest = await ArtifactReader.ReadManifestAsync(request.Store, request.DataPreparationManifest, cancellationToken);
        var inputs = await GraphPreparationInputs.ReadAsync(request.Store, manifest, cancellationToken);
        var readMs = total.ElapsedMilliseconds;
        var identity = Identity(config, environment);
        var context = new GraphProcessorContext(config, identity, inputs, mode);

        await using (var graph = await request.Graphs.OpenAsync(identity, cancellationToken))
            await graph.EnsureSchemaAsync(cancellationToken);

        var results = new SortedDictionary<string, GraphProcessorResult>(StringComparer.Ordinal);
        foreach (var phase in new IGraphProcessor[][]
                 {
                     [new VisitorProcessor(), new SessionStreamProcessor()],
                     [new JobRoleStreamProcessor(), new SpecialisationStreamProcessor(), new VisitorRelationshipProcessor()],
                 })
        {
            foreach (var result in await Task.WhenAll(phase.Select(p => RunProcessorAsync(p, context, request.Graphs, cancellationToken))))
                results[result.Processor] = result;
        }

        GraphCounts counts;
        await using (var graph = await request.Graphs.OpenAsync(identity, cancellationToken))
            counts = await graph.CountAsync(cancellationToken);

        total.Stop();
        var metadata = new GraphPreparationMetadata(StepName, config.Event.Name, request.RunId, environment, mode, startedAt, time.GetUtcNow(),
            total.ElapsedMilliseconds, readMs, results, counts);
        var stored = await request.Store.PutAsync(folder.Combine(MetadataName), new MemoryStream(PipelineJson.Serialize(metadata)),
            cancellationToken);
        var stepManifest = new ArtifactManifest(StepName, config.Event.Name, request.RunId, time.GetUtcNow(),
            inputs.Consumed.Select(o => new ManifestInput(o.Name, o.Uri, o.Sha256, o.Bytes)).ToList(),
            [new ManifestOutput(MetadataName, stored.Uri, stored.Sha256, stored.Length, null)]);
        var manifestPath = folder.Combine(ArtifactManifest.FileName);
        await request.Store.PutAsync(manifestPath, new MemoryStream(PipelineJson.Serialize(stepManifest)), cancellationToken);

        logger.LogInformation("Graph {Environment} ({Mode}) prepared in {ElapsedMs} ms", environment, mode, total.ElapsedMilliseconds);
        return new GraphPreparationResult(request.Store.GetUri(manifestPath), stepManifest, metadata);
    }

    private async Task<GraphProcessorResult> RunProcessorAsync(IGraphProcessor processor, GraphProcessorContext context, IAgendaGraphFactory graphs,
        CancellationToken cancellationToken)
    {
        // Each processor has its own connection: a graph instance is not for concurrent use.
        await using var graph = await graphs.OpenAsync(context.Identity, cancellationToken);
        var result = await processor.RunAsync(context, graph, cancellationToken);
        logger.LogInformation("Processor {Processor} done in {ElapsedMs} ms", processor.Name, result.DurationMs);
        return result;
    }
}
