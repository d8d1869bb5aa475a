using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <param name="DataPreparationManifest">Step 1's manifest of the same run (theatre capacities come from it).</param>
/// <param name="Force">Score every shard even when an earlier run scored the same one.</param>
/// <param name="Incremental">Recommend only for visitors without recommendations; null takes graph.create_only_new.</param>
public sealed record RecommendationRequest(
    EventConfig Config, IArtifactStore Store, IAgendaGraphFactory Graphs, Uri DataPreparationManifest, string RunId,
    string? Environment = null, bool? Incremental = null, bool Force = false);
