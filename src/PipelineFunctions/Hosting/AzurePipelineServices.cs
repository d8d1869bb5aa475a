using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Secrets;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The adapters the activities run on in Azure: artifacts in a blob container (the app's managed identity), a run's
/// inputs confined under the inputs container, the Neo4j graph of the run's environment, the configured embedder with
/// Azure OpenAI settings from the secrets, the run-notification webhook from the secrets, and the event configs shipped
/// with the app (config/events/*.yaml).
/// No Functions SDK type here: tested offline.
/// </summary>
internal sealed class AzurePipelineServices(AzureHostOptions settings, IAgendaGraphFactory graphs, PipelineSecretResolver secrets,
    ILoggerFactory loggers,
    TimeProvider time, string configRoot, IRunNotifier? notifier = null) : IPipelineServices
{
    public IArtifactStore Store { get; } = ArtifactStoreLocator.Open(settings.ArtifactsLocation);

    public IAgendaGraphFactory Graphs => graphs;

    public ISessionEmbedderProvider Embedders => new SecretBackedSessionEmbedderProvider(Store, secrets);

    public IRunNotifier Notifier => notifier ?? DisabledRunNotifier.Instance;

    public ILoggerFactory Loggers => loggers;

    public TimeProvider Time => time;

    /// <summary>A folder under the inputs root, never anything else (a URL, a connection string, '..'): field 'input'.</summary>
    public IArtifactStore OpenInput(string location) => ArtifactStoreLocator.Open(settings.InputLocation(location));

    public EventConfig LoadConfig(string eventName, IReadOnlyDictionary<string, string>? overrides) =>
        EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath(eventName, configRoot), overrides);
}
