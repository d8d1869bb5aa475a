using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// The scoring context as a shard uses it: parsed, indexed, with the step-1 stream matrices it names and, for the
/// reference heuristic, the show-wide part of the scorer (cosines, the similar-visitor search and what it has found).
/// Nothing in it depends on a shard's visitors, so shards of one run in one process share it (<see cref="InUseCache{TValue}"/>).
/// </summary>
internal sealed class ShardKnowledge
{
    private readonly Lazy<ReferenceHeuristicScorer> _heuristic;

    private ShardKnowledge(EventConfig config, ScoringContext context, StreamMatrix jobRoleStreams, StreamMatrix specialisationStreams)
    {
        Context = context;
        Sessions = context.Sessions.ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        SessionIndex = context.Sessions.Select((s, i) => (s.SessionId, i)).ToDictionary(p => p.SessionId, p => p.i, StringComparer.Ordinal);
        PastVisitors = context.PastVisitors.ToDictionary(g => g.Kind,
            g => (IReadOnlyList<VisitorNode>)g.Visitors.Select(v => new VisitorNode(v.BadgeId, v.Properties)).ToList());
        Attendance = context.PastVisitors.ToDictionary(g => g.Kind,
            g => (IReadOnlyList<AttendanceLink>)g.Attended.Select(a => new AttendanceLink(a[0], a[1], "", "", "")).ToList());
        ThisYear = context.ThisYearEmbeddings.Select(e => new SessionEmbedding(SessionYear.ThisYear, e.SessionId, "", e.Model, e.Vector())).ToList();
        Past = context.PastEmbeddings.Select(e => new SessionEmbedding(SessionYear.Past, e.SessionId, "", e.Model, e.Vector())).ToList();
        ThisYearVectors = ThisYear.DistinctBy(e => e.SessionId).ToDictionary(e => e.SessionId, e => e.Vector, StringComparer.Ordinal);
        PastVectors = Past.Select(e => (e.SessionId, e.Vector)).ToList();
        JobRoleStreams = jobRoleStreams;
        SpecialisationStreams = specialisationStreams;
        // Built on first use, once: only the heuristic needs it, and most of a shard's fixed cost is in it.
        _heuristic = new(() => new ReferenceHeuristicScorer(config, new RecommendationData([], PastVisitors, [], Attendance, ThisYear, Past)));
    }

    public ScoringContext Context { get; }
    public IReadOnlyDictionary<string, RecommendableSession> Sessions { get; }
    public IReadOnlyDictionary<string, int> SessionIndex { get; }
    public IReadOnlyDictionary<VisitorKind, IReadOnlyList<VisitorNode>> PastVisitors { get; }
    public IReadOnlyDictionary<VisitorKind, IReadOnlyList<AttendanceLink>> Attendance { get; }
    public IReadOnlyList<SessionEmbedding> ThisYear { get; }
    public IReadOnlyList<SessionEmbedding> Past { get; }
    public IReadOnlyDictionary<string, float[]> ThisYearVectors { get; }
    public IReadOnlyList<(string SessionId, float[] Vector)> PastVectors { get; }
    public StreamMatrix JobRoleStreams { get; }
    public StreamMatrix SpecialisationStreams { get; }

    /// <summary>The reference heuristic for these visitors' past selves, sharing everything show-wide.</summary>
    public ReferenceHeuristicScorer Heuristic(IReadOnlyList<SameVisitorLink> sameVisitors) => _heuristic.Value.For(sameVisitors);

    public static async Task<ShardKnowledge> LoadAsync(EventConfig config, IArtifactStore store, ScoringContext context,
        CancellationToken cancellationToken)
    {
        var jobRoleStreams = StreamMatrix.From(await ArtifactReader.ReadTableAsync(store, context.JobRoleStreams!, cancellationToken), "job_role");
        var specialisationStreams = StreamMatrix.From(
            await ArtifactReader.ReadTableAsync(store, context.SpecialisationStreams!, cancellationToken), "specialisation");
        return new ShardKnowledge(config, context, jobRoleStreams, specialisationStreams);
    }
}
