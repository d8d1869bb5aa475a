using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// Step 4 with the learned ranker: every this-year visitor's candidates ranked by the model. Visitors without a
/// history of their own have the same features when their attributes, job role and specialisations are equal, so
/// they are scored once per such profile. Profiles are scored in chunks, in parallel, one model call per chunk.
/// Scores are the model's output through a logistic function, so they lie in (0, 1) like the heuristic's.
/// </summary>
internal sealed class LearnedRankingScorer
{
    /// <summary>Candidates kept per visitor, best first: enough for the business rules, clashes and capacity backfill.</summary>
    public const int KeptCandidates = 80;
    private const int ProfilesPerChunk = 64;

    private readonly EventConfig _config;
    private readonly RankingFeatureSpace _space;
    private readonly LearnedRanker _model;
    private readonly VisitorAttributes _attributes;
    private readonly Dictionary<string, List<string>> _ownSessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _returning = new(StringComparer.Ordinal);

    public LearnedRankingScorer(EventConfig config, RankingKnowledge knowledge, IReadOnlyList<SameVisitorLink> sameVisitors,
        IReadOnlyList<RankingSession> candidates, LearnedRanker model)
    {
        _config = config;
        _model = model;
        _attributes = new VisitorAttributes(config);
        _space = new RankingFeatureSpace(config, knowledge, candidates, candidatesArePast: false);
        var attended = knowledge.Attendance.SelectMany(g => g.Value.Select(l => (g.Key, l.BadgeId, l.SessionId)))
            .ToLookup(l => (l.Key, l.BadgeId), l => l.SessionId);
        foreach (var link in sameVisitors)
        {
            _returning.Add(link.BadgeId);
            var sessions = attended[(link.PastKind, link.PastBadgeId)];
            if (!sessions.Any()) continue;
            if (!_ownSessions.TryGetValue(link.BadgeId, out var own)) _ownSessions[link.BadgeId] = own = [];
            own.AddRange(sessions);
        }
    }

    public IReadOnlyList<VisitorScoring> ScoreAll(IReadOnlyList<VisitorNode> visitors, CancellationToken cancellationToken)
    {
        var profileOf = new string[visitors.Count];
        var profiles = new Dictionary<string, RankingQuery>(StringComparer.Ordinal);
        for (var v = 0; v < visitors.Count; v++)
        {
            var visitor = visitors[v];
            var own = _ownSessions.GetValueOrDefault(visitor.BadgeId);
            var query = new RankingQuery(VisitorKind.ThisYear, visitor, (IReadOnlyList<string>?)own?.Distinct(StringComparer.Ordinal).ToList() ?? [],
                _returning.Contains(visitor.BadgeId));
            var key = own is not null ? "own\u001f" + visitor.BadgeId : ProfileKey(query);
            profileOf[v] = key;
            profiles.TryAdd(key, query);
        }

        var keys = profiles.Keys.ToArray();
        var ranked = new (IReadOnlyList<ScoredSession> Ranked, string Strategy, int Sources)[keys.Length];
        var chunks = Enumerable.Range(0, (keys.Length + ProfilesPerChunk - 1) / ProfilesPerChunk).ToArray();
        // One worker per core: CPU-bound, so more would only take threads the host's requests need.
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(chunks, options, chunk =>
        {
            var start = chunk * ProfilesPerChunk;
            var end = Math.Min(keys.Length, start + ProfilesPerChunk);
            var features = new QueryFeatures[end - start];
            var rows = new float[(end - start) * _space.Candidates.Count * RankingFeatures.Count];
            for (var p = start; p < end; p++)
            {
                features[p - start] = _space.Compute(profiles[keys[p]]);
                features[p - start].Values.CopyTo(rows, (p - start) * features[p - start].Values.Length);
            }
            var scores = _model.Score(rows);
            for (var p = start; p < end; p++)
                ranked[p] = (Rank(scores.AsSpan((p - start) * _space.Candidates.Count, _space.Candidates.Count)), features[p - start].Strategy,
                    features[p - start].SourceSessions);
        });

        var byKey = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => ranked[p.i], StringComparer.Ordinal);
        return visitors.Select((visitor, v) =>
        {
            var result = byKey[profileOf[v]];
            return new VisitorScoring(new VisitorCandidates(visitor.BadgeId, visitor.Properties, result.Ranked), result.Strategy, result.Sources);
        }).ToList();
    }

    /// <summary>
    /// The best candidates, by score then candidate order (the candidates are in session id order). One 64-bit key
    /// per candidate, score bits above index bits, sorts without a comparison delegate: this runs once per profile.
    /// </summary>
    private IReadOnlyList<ScoredSession> Rank(ReadOnlySpan<float> scores)
    {
        var keys = new ulong[scores.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = ((ulong)DescendingBits(scores[i]) << 32) | (uint)i;
        Array.Sort(keys);
        var kept = Math.Min(KeptCandidates, keys.Length);
        var ranked = new ScoredSession[kept];
        for (var r = 0; r < kept; r++)
        {
            var i = (int)(keys[r] & 0xFFFFFFFF);
            ranked[r] = new ScoredSession(_space.Candidates[i].SessionId, Math.Round(1 / (1 + Math.Exp(-scores[i])), 6));
        }
        return ranked;
    }

    /// <summary>A float's bits mapped so that a higher score gives a smaller unsigned integer.</summary>
    private static uint DescendingBits(float score)
    {
        var bits = BitConverter.SingleToInt32Bits(score);
        var ascending = bits >= 0 ? (uint)bits | 0x80000000u : ~(uint)bits; // order-preserving as unsigned
        return ~ascending;
    }

    /// <summary>Everything the features of a visitor without own history depend on.</summary>
    private string ProfileKey(RankingQuery query) => string.Join('\u001e',
        VisitorAttributes.Signature(_attributes.Of(query.Kind, query.Visitor)),
        query.Visitor.Properties.GetValueOrDefault(_config.Registration.JobRoleField)?.Trim().ToLowerInvariant() ?? "",
        string.Join(';', _attributes.Specialisations(query.Kind,
            query.Visitor).Select(s => s.Trim().ToLowerInvariant()).Order(StringComparer.Ordinal)),
        query.Returning ? "returning" : "new");
}
