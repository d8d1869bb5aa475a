using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// One of step 2's processors, run as one part of the step's fan-out: on its own graph connection, with only the step-1
/// artifacts it names read, so independent ones run in parallel (in one process or in many).
/// </summary>
internal interface IGraphProcessor
{
    string Name { get; }

    /// <summary>The step-1 outputs (<see cref="DataPreparation.DataPreparationOutputNames"/>) it reads.</summary>
    IReadOnlyList<string> Inputs { get; }

    Task<GraphProcessorResult> RunAsync(GraphProcessorContext context, IAgendaGraph graph, CancellationToken cancellationToken);
}
