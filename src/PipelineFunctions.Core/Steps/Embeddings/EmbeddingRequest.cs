using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <param name="Refit">Fit a new local model (and so re-embed everything).</param>
/// <param name="Environment">Graph environment; null takes the config's.</param>
public sealed record EmbeddingRequest(
    EventConfig Config, IArtifactStore Store, IAgendaGraphFactory Graphs, ISessionEmbedderProvider Embedders, string RunId,
    string? Environment = null, bool Refit = false);
