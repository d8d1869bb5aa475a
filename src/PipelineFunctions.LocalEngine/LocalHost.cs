using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine;

/// <summary>
/// Everything a local command needs to run pipelines: the runner over a run store, on the embedded defaults. Settings
/// come in as arguments (the host binds them from configuration, see <see cref="LocalEngineOptions"/>); nothing here
/// reads the environment.
/// </summary>
public sealed class LocalHost : IAsyncDisposable
{
    /// <param name="lease">How long a claim on a running instance lasts without renewal; null: the runner's default.</param>
    /// <param name="azureOpenAI">Azure OpenAI settings for step 3; null: the local embedder.</param>
    /// <param name="parallelActivities">A run's fanned-out activities executing at once; null: one per core.</param>
    /// <param name="notifier">Where a run's end is announced; null: nowhere.</param>
    /// <param name="embeddingGenerators">Step-3 generators the host offers beside local and azure_openai (e.g. minilm); null: none.</param>
    public LocalHost(IArtifactStore store, IAgendaGraphFactory graphs, string runStorePath, string configRoot, Func<string, IArtifactStore> openInput,
        ILoggerFactory loggers, TimeProvider time, int maxConcurrentRuns = 2, TimeSpan? lease = null,
        AzureOpenAIEmbeddingSettings? azureOpenAI = null, int? parallelActivities = null, IRunNotifier? notifier = null,
        IEnumerable<ISessionEmbeddingGeneratorFactory>? embeddingGenerators = null)
    {
        Services = new LocalPipelineServices(store, graphs, configRoot, openInput, loggers, time, azureOpenAI, notifier, embeddingGenerators);
        RunStore = new SqliteRunStore(runStorePath);
        Runner = new EmbeddedOrchestrationRunner(RunStore, new PipelineActivities(Services), time,
            new RunnerOptions(maxConcurrentRuns, lease, parallelActivities),
            loggers.CreateLogger<EmbeddedOrchestrationRunner>());
    }

    public LocalPipelineServices Services { get; }
    public IRunStore RunStore { get; }
    public EmbeddedOrchestrationRunner Runner { get; }

    /// <summary>A finished run's summary: a completed run's output, a failed run's published summary (see <see cref="RunSummaries"/>).</summary>
    public Task<string?> SummaryJsonAsync(RunInstance instance, CancellationToken cancellationToken = default) =>
        RunSummaries.FindJsonAsync(Services.Store, instance.RuntimeStatus, instance.OutputJson, instance.CustomStatusJson, cancellationToken);

    public Task<RunSummary?> SummaryAsync(RunInstance instance, CancellationToken cancellationToken = default) =>
        RunSummaries.FindAsync(Services.Store, instance.RuntimeStatus, instance.OutputJson, instance.CustomStatusJson, cancellationToken);

    public ValueTask DisposeAsync() => Runner.DisposeAsync();
}
