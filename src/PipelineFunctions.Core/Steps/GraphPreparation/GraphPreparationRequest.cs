using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <param name="DataPreparationManifest">URI of step 1's manifest in <paramref name="Store"/>.</param>
/// <param name="Environment">Graph environment (dev, test, prod); null takes the config's graph.environment.</param>
/// <param name="Mode">Null takes the config: incremental when graph.create_only_new, else full.</param>
public sealed record GraphPreparationRequest(
    EventConfig Config, Uri DataPreparationManifest, IArtifactStore Store, IAgendaGraphFactory Graphs, string RunId,
    string? Environment = null, GraphWriteMode? Mode = null);
