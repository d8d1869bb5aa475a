using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.LocalEngine;

/// <summary>The embedded defaults the local host runs the pipeline on: a store, the SQLite graph, the configured embedder.</summary>
/// <param name="openInput">Resolves a request's input location (the HTTP host confines it under its inputs root).</param>
/// <param name="azureOpenAI">Azure OpenAI settings for step 3's azure_openai generator; null: none configured.</param>
/// <param name="notifier">Where runs are announced; null: nowhere.</param>
/// <param name="embeddingGenerators">Step-3 generators the host offers beside local and azure_openai (e.g. minilm); null: none.</param>
public sealed class LocalPipelineServices(IArtifactStore store, IAgendaGraphFactory graphs, string configRoot, Func<string, IArtifactStore> openInput,
    ILoggerFactory loggers, TimeProvider time, AzureOpenAIEmbeddingSettings? azureOpenAI = null, IRunNotifier? notifier = null,
    IEnumerable<ISessionEmbeddingGeneratorFactory>? embeddingGenerators = null) : IPipelineServices
{
    public IArtifactStore Store => store;
    public IAgendaGraphFactory Graphs => graphs;
    public ISessionEmbedderProvider Embedders { get; } = new SessionEmbedderProvider(store, azureOpenAI, embeddingGenerators);
    public IRunNotifier Notifier { get; } = notifier ?? DisabledRunNotifier.Instance;
    public ILoggerFactory Loggers => loggers;
    public TimeProvider Time => time;

    public IArtifactStore OpenInput(string location) => openInput(location);

    public EventConfig LoadConfig(string eventName, IReadOnlyDictionary<string, string>? overrides) =>
        EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath(eventName, configRoot), overrides);

    /// <summary>For the CLI: any location the user names.</summary>
    public static IArtifactStore OpenAnyInput(string location) => ArtifactStoreLocator.Open(location);
}
