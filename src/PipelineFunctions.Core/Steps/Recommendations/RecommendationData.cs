using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>Everything step 4 reads from the graph, in bulk.</summary>
public sealed record RecommendationData(
    IReadOnlyList<VisitorNode> Visitors,
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<VisitorNode>> PastVisitors,
    IReadOnlyList<SameVisitorLink> SameVisitors,
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<AttendanceLink>> Attendance,
    IReadOnlyList<SessionEmbedding> ThisYearEmbeddings,
    IReadOnlyList<SessionEmbedding> PastEmbeddings);
