using System.Diagnostics;
using PipelineFunctions.Core.Graph;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>Step 2: visitor nodes of this year and of both past shows, keyed by BadgeId, every step-1 column a property.</summary>
internal sealed class VisitorProcessor : IGraphProcessor
{
    public string Name => "visitors";

    public IReadOnlyList<string> Inputs { get; } = [Step1.VisitorsThisYear, Step1.VisitorsPastMain, Step1.VisitorsPastSecondary];

    public GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var nodes = new List<(VisitorKind Kind, string Label, List<VisitorNode> Nodes)>();
        foreach (var kind in Enum.GetValues<VisitorKind>())
        {
            var table = context.Inputs.Visitors(kind);
            var (badge, properties) = (table.Column("BadgeId"), TableRowProperties.For(table));
            nodes.Add((kind, GraphLabels.Visitor(kind, context.Identity.MainEventName, context.Identity.SecondaryEventName),
                table.Rows.Select(row => new VisitorNode(row[badge], properties(row))).ToList()));
        }
        var prepareMs = watch.ElapsedMilliseconds;
        return async (graph, ct) =>
        {
            var write = Stopwatch.StartNew();
            var writes = new SortedDictionary<string, GraphWriteStats>(StringComparer.Ordinal);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (kind, label, list) in nodes)
            {
                writes[label] = await graph.UpsertVisitorsAsync(kind, list, context.Mode, ct);
                counts[label] = list.Count;
            }
            return new GraphProcessorResult(Name, prepareMs + write.ElapsedMilliseconds, writes, counts);
        };
    }
}
