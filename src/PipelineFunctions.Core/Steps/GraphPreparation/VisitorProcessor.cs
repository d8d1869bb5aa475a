using System.Diagnostics;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// Step 2: visitor nodes of the given kinds (this year's, or both past shows'), keyed by BadgeId, every step-1 column a
/// property. Two processors in parallel parts of the first wave: the past shows' visitors are read, made into JSON and
/// written beside this year's, rather than after them on one core while the other waits.
/// </summary>
internal sealed class VisitorProcessor(string name, params VisitorKind[] kinds) : IGraphProcessor
{
    /// <summary>This year's visitors: the bulk of the visitor rows.</summary>
    public static VisitorProcessor ThisYear() => new("visitors", VisitorKind.ThisYear);

    /// <summary>Both past shows' visitors.</summary>
    public static VisitorProcessor Past() => new("past_visitors", VisitorKind.PastMain, VisitorKind.PastSecondary);

    public string Name => name;

    public IReadOnlyList<string> Inputs { get; } = kinds.Select(GraphPreparationInputs.VisitorsName).ToList();

    public GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var nodes = new List<(VisitorKind Kind, string Label, List<VisitorNode> Nodes)>();
        foreach (var kind in kinds)
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
