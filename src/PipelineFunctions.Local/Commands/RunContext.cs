using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Local.Commands;

/// <summary>The run a step command continues, resolved by <see cref="RunStepOptions.ResolveAsync"/>.</summary>
/// <param name="Environment">The --environment override, or null for the config's.</param>
internal sealed record RunContext(
    EventConfig Config, IArtifactStore Store, IAgendaGraphFactory Graphs, string? Environment, Uri PreparedManifest, string RunId);
