using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;

namespace PipelineFunctions.Local.Benchmarks;

/// <summary>A throw-away artifact store and graph for one benchmark, with the earlier steps it builds on.</summary>
public sealed class BenchmarkWorkspace : IDisposable
{
    public const string RunId = "bench";
    public const string Environment = "dev";

    private readonly DirectoryInfo _folder;

    public BenchmarkWorkspace(string name)
    {
        _folder = Directory.CreateTempSubdirectory($"pa-bench-{name}-");
        Store = ArtifactStoreLocator.Open(Path.Combine(_folder.FullName, "store"));
        Graphs = new SqliteAgendaGraphFactory(Path.Combine(_folder.FullName, "graph"));
    }

    /// <summary>The workspace's own folder (deleted with it).</summary>
    public string Folder => _folder.FullName;

    public IArtifactStore Store { get; }
    public IAgendaGraphFactory Graphs { get; }

    /// <summary>Step 1 on the input folder, into this workspace.</summary>
    public Task<DataPreparationResult> PrepareAsync(EventConfig config, string dataFolder, CancellationToken cancellationToken, string runId = RunId) =>
        new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config, ArtifactStoreLocator.Open(dataFolder), Store, runId), cancellationToken);

    /// <summary>Step 2 of this workspace's run into its graph.</summary>
    public Task<GraphPreparationResult> GraphAsync(EventConfig config, Uri preparedManifest, GraphWriteMode mode, CancellationToken cancellationToken) =>
        new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new GraphPreparationRequest(config, preparedManifest, Store, Graphs, RunId, Environment, mode), cancellationToken);

    /// <summary>Step 3 with the local embedder, into this workspace's graph.</summary>
    public Task<Core.Steps.Embeddings.EmbeddingResult> EmbedAsync(EventConfig config, CancellationToken cancellationToken) =>
        new Core.Steps.Embeddings.EmbeddingStep(NullLogger<Core.Steps.Embeddings.EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new Core.Steps.Embeddings.EmbeddingRequest(config, Store, Graphs, new Infrastructure.Embeddings.SessionEmbedderProvider(Store, null), RunId, Environment), cancellationToken);

    public void Dispose() => _folder.Delete(recursive: true);
}
