using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// One past show's visitors who attended something (the others can offer no sessions), with only the columns the
/// similarity search reads, and their attendance as (badge id, session id) pairs in the graph's order.
/// </summary>
internal sealed record PastVisitorGroup(VisitorKind Kind, IReadOnlyList<ContextVisitor> Visitors, IReadOnlyList<string[]> Attended);
