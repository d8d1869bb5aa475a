using System.Diagnostics;
using PipelineFunctions.Core.Graph;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>Step 2: visitor nodes of this year and of both past shows, keyed by BadgeId, every step-1 column a property.</summary>
internal sealed class VisitorProcessor : IGraphProcessor
{
    public string Name => "visitors";

    public IReadOnlyList<string> Inputs { get; } = [Step1.VisitorsThisYear, Step1.VisitorsPastMain, Step1.VisitorsPastSecondary];

    public async Task<GraphProcessorResult> RunAsync(GraphProcessorContext context, IAgendaGraph graph, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var writes = new SortedDictionary<string, GraphWriteStats>(StringComparer.Ordinal);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<VisitorKind>())
        {
            var table = context.Inputs.Visitors(kind);
            var badge = table.Column("BadgeId");
            var nodes = table.Rows.Select(row => new VisitorNode(row[badge], table.Properties(row))).ToList();
            var label = GraphLabels.Visitor(kind, context.Identity.MainEventName, context.Identity.SecondaryEventName);
            writes[label] = await graph.UpsertVisitorsAsync(kind, nodes, context.Mode, cancellationToken);
            counts[label] = nodes.Count;
        }
        return new GraphProcessorResult(Name, watch.ElapsedMilliseconds, writes, counts);
    }
}
