using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Embeddings;

namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>The app's services with a store that fails writes as the test says (a transient outage, a step that always fails).</summary>
public sealed class FaultInjectingServices(IPipelineServices inner, Func<ArtifactPath, Exception?> fault) : IPipelineServices
{
    public IArtifactStore Store { get; } = new FaultInjectingStore(inner.Store, fault);

    public IArtifactStore OpenInput(string location) => inner.OpenInput(location);

    public IAgendaGraphFactory Graphs => inner.Graphs;

    public ISessionEmbedderProvider Embedders => inner.Embedders;

    public EventConfig LoadConfig(string eventName, IReadOnlyDictionary<string, string>? overrides) => inner.LoadConfig(eventName, overrides);

    public IRunNotifier Notifier => inner.Notifier;

    public ILoggerFactory Loggers => inner.Loggers;

    public TimeProvider Time => inner.Time;

    private sealed class FaultInjectingStore(IArtifactStore store, Func<ArtifactPath, Exception?> fault) : IArtifactStore
    {
        public Uri Root => store.Root;

        public Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default) =>
            fault(path) is { } error ? Task.FromException<StoredArtifact>(error) : store.PutAsync(path, content, cancellationToken);

        public Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default)
            => store.OpenReadAsync(path, cancellationToken);

        public Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default) => store.ExistsAsync(path, cancellationToken);

        public IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, CancellationToken cancellationToken = default)
            => store.ListAsync(prefix, cancellationToken);

        public Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default)
            => store.GetContentHashAsync(path, cancellationToken);

        public Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default) => store.DeleteAsync(path, cancellationToken);

        public Uri GetUri(ArtifactPath path) => store.GetUri(path);

        public bool TryGetPath(Uri uri, out ArtifactPath path) => store.TryGetPath(uri, out path);
    }
}
