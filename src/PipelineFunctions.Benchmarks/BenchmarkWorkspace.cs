using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Graph;

namespace PipelineFunctions.Benchmarks;

/// <summary>A throw-away artifact store and graph for one benchmark, with the earlier steps it builds on.</summary>
internal sealed class BenchmarkWorkspace : IDisposable
{
    public const string RunId = "bench";
    public const string Environment = "dev";
    public const string StoreFolder = "store", GraphFolder = "graph";

    private readonly DirectoryInfo _folder;

    public BenchmarkWorkspace(string name)
    {
        _folder = Directory.CreateTempSubdirectory($"pa-bench-{name}-");
        Store = ArtifactStoreLocator.Open(Path.Combine(_folder.FullName, StoreFolder));
        Graphs = new SqliteAgendaGraphFactory(Path.Combine(_folder.FullName, GraphFolder));
    }

    /// <summary>The workspace's own folder (deleted with it).</summary>
    public string Folder => _folder.FullName;

    public IArtifactStore Store { get; }
    public IAgendaGraphFactory Graphs { get; }

    /// <summary>Step 1 on the input folder, into this workspace.</summary>
    public Task<DataPreparationResult> PrepareAsync(
        EventConfig config, string dataFolder, CancellationToken cancellationToken, string runId = RunId) =>
        new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config, ArtifactStoreLocator.Open(dataFolder), Store, runId), cancellationToken);

    /// <summary>Step 2 of this workspace's run into its graph.</summary>
    public Task<GraphPreparationResult> GraphAsync(
        EventConfig config, Uri preparedManifest, GraphWriteMode mode, CancellationToken cancellationToken) =>
        new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new GraphPreparationRequest(config, preparedManifest, Store, Graphs, RunId, Environment, mode), cancellationToken);

    /// <summary>Step 3 with the local embedder, into this workspace's graph.</summary>
    public Task<EmbeddingResult> EmbedAsync(EventConfig config, CancellationToken cancellationToken) =>
        new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new EmbeddingRequest(config, Store, Graphs, new SessionEmbedderProvider(Store, null), RunId, Environment), cancellationToken);

    public void Dispose() => _folder.Delete(recursive: true);
}
