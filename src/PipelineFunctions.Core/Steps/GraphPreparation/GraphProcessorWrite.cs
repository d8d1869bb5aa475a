using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>The graph writes that finish a prepared processor (see <see cref="IGraphProcessor.Prepare"/>).</summary>
internal delegate Task<GraphProcessorResult> GraphProcessorWrite(IAgendaGraph graph, CancellationToken cancellationToken);
