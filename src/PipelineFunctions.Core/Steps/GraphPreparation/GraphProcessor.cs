using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>What one processor wrote (per node label or relationship type) and counted.</summary>
public sealed record GraphProcessorResult(
    string Processor, long DurationMs, IReadOnlyDictionary<string, GraphWriteStats> Writes, IReadOnlyDictionary<string, long> Counts);

/// <summary>Everything a step-2 processor works from.</summary>
public sealed record GraphProcessorContext(EventConfig Config, GraphIdentity Identity, GraphPreparationInputs Inputs, GraphWriteMode Mode);

/// <summary>One of step 2's processors; each runs on its own graph connection, so independent ones run in parallel.</summary>
public interface IGraphProcessor
{
    string Name { get; }

    Task<GraphProcessorResult> RunAsync(GraphProcessorContext context, IAgendaGraph graph, CancellationToken cancellationToken);
}
