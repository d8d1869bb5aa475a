using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Infrastructure.Runs;

namespace PipelineFunctions.Local.Orchestration;

/// <summary>Everything a local command needs to run pipelines: the runner over a run store, on the embedded defaults.</summary>
public sealed class LocalHost : IAsyncDisposable
{
    public const string RunStoreVariable = "PA_RUNS", DefaultRunStore = ".pa/runs.sqlite", LeaseVariable = "PA_RUN_LEASE_SECONDS";

    public LocalHost(IArtifactStore store, IAgendaGraphFactory graphs, string runStorePath, string configRoot, Func<string, IArtifactStore> openInput,
        ILoggerFactory loggers, TimeProvider time, int maxConcurrentRuns = 2)
    {
        Services = new LocalPipelineServices(store, graphs, configRoot, openInput, loggers, time);
        RunStore = new SqliteRunStore(runStorePath);
        var lease = int.TryParse(Environment.GetEnvironmentVariable(LeaseVariable), out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        Runner = new EmbeddedOrchestrationRunner(RunStore, new PipelineActivities(Services), time, new RunnerOptions(maxConcurrentRuns, lease),
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

    public static string ResolveRunStore(string? path) =>
        Path.GetFullPath(path ?? Environment.GetEnvironmentVariable(RunStoreVariable) ?? DefaultRunStore);

    public ValueTask DisposeAsync() => Runner.DisposeAsync();
}
