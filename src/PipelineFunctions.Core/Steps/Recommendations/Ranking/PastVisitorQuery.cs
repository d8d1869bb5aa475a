using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A past visitor as a training or evaluation query: who they are and which candidate sessions they attended.</summary>
public sealed record PastVisitorQuery(VisitorKind Kind, VisitorNode Visitor, IReadOnlyList<string> Attended);
