using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>One of step 2's processors; each runs on its own graph connection, so independent ones run in parallel.</summary>
internal interface IGraphProcessor
{
    string Name { get; }

    Task<GraphProcessorResult> RunAsync(GraphProcessorContext context, IAgendaGraph graph, CancellationToken cancellationToken);
}
