using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// What is known about last year when ranking: past visitors, what they attended, past sessions with embeddings,
/// step 1's job-role and specialisation stream matrices, and theatre capacities.
/// </summary>
public sealed record RankingKnowledge(
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<VisitorNode>> PastVisitors,
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<AttendanceLink>> Attendance,
    IReadOnlyList<RankingSession> PastSessions,
    StreamMatrix JobRoleStreams,
    StreamMatrix SpecialisationStreams,
    IReadOnlyDictionary<string, int> TheatreCapacity)
{
    /// <summary>The same knowledge without some past visitors and their attendance (a holdout).</summary>
    public RankingKnowledge Without(IReadOnlySet<(VisitorKind Kind, string BadgeId)> visitors) => this with
    {
        PastVisitors = PastVisitors.ToDictionary(g => g.Key, g => (IReadOnlyList<VisitorNode>)g.Value.Where(v => !visitors.Contains((g.Key,
            v.BadgeId))).ToList()),
        Attendance = Attendance.ToDictionary(g => g.Key, g => (IReadOnlyList<AttendanceLink>)g.Value.Where(l => !visitors.Contains((g.Key,
            l.BadgeId))).ToList()),
    };
}
