using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// The scoring context as a shard uses it: parsed, indexed, with the step-1 stream matrices it names and, for the
/// learned ranker, its model and what it knows of past shows, or for the reference heuristic the show-wide part of the
/// scorer (cosines, the similar-visitor search and what it has found).
/// Nothing in it depends on a shard's visitors, so shards of one run in one process share it (<see cref="InUseCache{TValue}"/>).
/// </summary>
internal sealed class ShardKnowledge
{
    private readonly Lazy<ReferenceHeuristicScorer> _heuristic;
    private readonly Lazy<RecommendationReasonFinder> _reasons;

    private ShardKnowledge(EventConfig config, ScoringContext context, LearnedRanker? model, StreamMatrix jobRoleStreams,
        StreamMatrix specialisationStreams)
    {
        Context = context;
        Sessions = context.Sessions.ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        SessionIndex = context.Sessions.Select((s, i) => (s.SessionId, i)).ToDictionary(p => p.SessionId, p => p.i, StringComparer.Ordinal);
        PastVisitors = context.PastVisitors.ToDictionary(g => g.Kind, g => g.Nodes());
        Attendance = context.PastVisitors.ToDictionary(g => g.Kind,
            g => (IReadOnlyList<AttendanceLink>)g.Attended.Select(a => new AttendanceLink(a[0], a[1], "", "", "")).ToList());
        ThisYear = context.ThisYearEmbeddings.Select(e => new SessionEmbedding(SessionYear.ThisYear, e.SessionId, "", e.Model, e.Vector())).ToList();
        Past = context.PastEmbeddings.Select(e => new SessionEmbedding(SessionYear.Past, e.SessionId, "", e.Model, e.Vector())).ToList();
        ThisYearVectors = ThisYear.DistinctBy(e => e.SessionId).ToDictionary(e => e.SessionId, e => e.Vector, StringComparer.Ordinal);
        PastVectors = Past.Select(e => (e.SessionId, e.Vector)).ToList();
        JobRoleStreams = jobRoleStreams;
        SpecialisationStreams = specialisationStreams;
        if (model is not null)
        {
            var vectors = Past.ToDictionary(e => e.SessionId, e => e.Vector, StringComparer.Ordinal);
            var knowledge = new RankingKnowledge(PastVisitors, Attendance,
                context.PastSessions.Select(s => new RankingSession(s.SessionId, s.Streams, s.Theatre, vectors[s.SessionId])).ToList(),
                jobRoleStreams, specialisationStreams, context.TheatreCapacity);
            var sessions = ThisYear.OrderBy(e => e.SessionId, StringComparer.Ordinal)
                .Select(e => new RankingSession(e.SessionId, Sessions[e.SessionId].Streams, Sessions[e.SessionId].Theatre, e.Vector)).ToList();
            Learned = (knowledge, sessions, model);
        }
        // Built on first use, once: only the heuristic needs it, and most of a shard's fixed cost is in it.
        _heuristic = new(() => new ReferenceHeuristicScorer(config, new RecommendationData([], PastVisitors, [], Attendance, ThisYear, Past)));
        _reasons = new(() => new RecommendationReasonFinder(config, context.Sessions, ThisYearVectors, PastVectors, [], Attendance,
            jobRoleStreams, specialisationStreams));
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

    /// <summary>When the plan chose a learned ranker: what it knows of past shows, this year's sessions to rank, the model.</summary>
    public (RankingKnowledge Knowledge, IReadOnlyList<RankingSession> Sessions, LearnedRanker Model)? Learned { get; }

    /// <summary>The reference heuristic for these visitors' past selves, sharing everything show-wide.</summary>
    public ReferenceHeuristicScorer Heuristic(IReadOnlyList<SameVisitorLink> sameVisitors) => _heuristic.Value.For(sameVisitors);

    /// <summary>The reasons for these visitors (their past selves), sharing everything show-wide.</summary>
    public RecommendationReasonFinder Reasons(IReadOnlyList<SameVisitorLink> sameVisitors) => _reasons.Value.For(sameVisitors);

    /// <param name="model">The learned ranker the context names, loaded; null when the heuristic ranks.</param>
    public static async Task<ShardKnowledge> LoadAsync(EventConfig config, IArtifactStore store, ScoringContext context, LearnedRanker? model,
        CancellationToken cancellationToken)
    {
        var jobRoleStreams = StreamMatrix.From(await ArtifactReader.ReadTableAsync(store, context.JobRoleStreams!, cancellationToken), "job_role");
        var specialisationStreams = StreamMatrix.From(
            await ArtifactReader.ReadTableAsync(store, context.SpecialisationStreams!, cancellationToken), "specialisation");
        return new ShardKnowledge(config, context, model, jobRoleStreams, specialisationStreams);
    }
}
