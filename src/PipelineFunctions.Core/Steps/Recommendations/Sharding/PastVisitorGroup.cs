using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// One past show's visitors who attended something (the others can offer no sessions), with only the columns the
/// similarity search reads, and their attendance as (badge id, session id) pairs in the graph's order. The visitors are
/// columnar: each row is the badge id then the value of each of <see cref="Columns"/> (null when the visitor has none), so
/// every shard parses the names once rather than once per visitor.
/// </summary>
internal sealed record PastVisitorGroup(VisitorKind Kind, IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Visitors,
    IReadOnlyList<string[]> Attended)
{
    /// <summary>The group's visitors with their columns, for the scorers.</summary>
    public IReadOnlyList<VisitorNode> Nodes()
    {
        var nodes = new List<VisitorNode>(Visitors.Count);
        var positions = ColumnarProperties.Positions(Columns);
        foreach (var row in Visitors)
        {
            if (row.Length != Columns.Count + 1 || row[0] is not { } badgeId)
                throw new PipelineInputException("the scoring context",
                    $"a {Kind} visitor has {row.Length} values, not a badge id and {Columns.Count} columns");
            nodes.Add(new VisitorNode(badgeId, new ColumnarProperties(Columns, positions, row[1..])));
        }
        return nodes;
    }
}
