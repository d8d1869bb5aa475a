using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Embeddings;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>The adapters the activities run on, supplied by the host (embedded defaults locally, Azure services in the cloud).</summary>
public interface IPipelineServices
{
    /// <summary>Where runs and models are published.</summary>
    IArtifactStore Store { get; }

    /// <summary>The store holding a run's input files; the host resolves (and for HTTP requests, confines) the location.</summary>
    IArtifactStore OpenInput(string location);

    IAgendaGraphFactory Graphs { get; }

    ISessionEmbedderProvider Embedders { get; }

    /// <summary>The event's config with the request's overrides applied and validated.</summary>
    EventConfig LoadConfig(string eventName, IReadOnlyDictionary<string, string>? overrides);

    /// <summary>Where a run's end is announced; <see cref="DisabledRunNotifier"/> when no webhook is configured.</summary>
    IRunNotifier Notifier { get; }

    ILoggerFactory Loggers { get; }

    TimeProvider Time { get; }
}
