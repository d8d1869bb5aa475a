using System.Numerics.Tensors;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// Computes <see cref="RankingFeatures"/> for a fixed list of candidate sessions. Everything that does not depend on
/// the visitor (past x candidate cosines, stream popularity, neighbour popularity, theatre size) is computed once;
/// per visitor, the work is a max and a sum over a few cosine rows plus per-stream counts, all vectorised.
/// When the candidates are past sessions themselves (training and evaluation), a session's cosine with itself is
/// left out, so the features look like this year's, where no candidate is ever a past session.
/// Session popularity is a past session's log attendance among the known past visitors (never including the
/// visitor being ranked: see <see cref="RankingTrainingSet"/>); this year's sessions have no attendance before the show, so theirs is estimated from
/// their nearest past
/// sessions (the neighbour popularity).
/// </summary>
internal sealed class RankingFeatureSpace
{
    /// <summary>Past sessions whose popularity is blended into a candidate's neighbour popularity.</summary>
    public const int Neighbours = 3;

    private readonly EventConfig _config;
    private readonly VisitorAttributes _attributes;
    private readonly RankingKnowledge _knowledge;
    private readonly Dictionary<string, int> _pastIndex = new(StringComparer.Ordinal);
    private readonly float[][] _cosines; // past session -> cosine with each candidate
    private readonly Dictionary<string, int> _streamIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly int[][] _candidateStreams;
    private readonly int[][] _pastStreams;
    private readonly float[] _constantStreamPopularity, _neighbourPopularity, _theatreCapacity;
    private readonly int[] _candidatePast; // candidate -> its index among past sessions, -1 for this year's
    private readonly int[] _popularity;
    private readonly double _maxLogPopularity;
    private readonly Dictionary<string, int[]> _attended = new(StringComparer.Ordinal); // visitor key -> past session indexes
    private readonly SimilarVisitorFinder _similar;
    private readonly int[] _popular;
    private readonly Dictionary<string, (string[] Similar, int[] Sessions)> _similarBySignature = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    public RankingFeatureSpace(EventConfig config, RankingKnowledge knowledge, IReadOnlyList<RankingSession> candidates, bool candidatesArePast)
    {
        _config = config;
        _knowledge = knowledge;
        _attributes = new VisitorAttributes(config);
        Candidates = candidates;
        var past = knowledge.PastSessions;
        for (var p = 0; p < past.Count; p++) _pastIndex.TryAdd(past[p].SessionId, p);

        _cosines = new float[past.Count][];
        for (var p = 0; p < past.Count; p++)
        {
            var row = _cosines[p] = new float[candidates.Count];
            for (var c = 0; c < candidates.Count; c++)
                row[c] = candidatesArePast && candidates[c].SessionId == past[p].SessionId ? 0f
                    : TensorPrimitives.Dot(past[p].Vector, candidates[c].Vector);
        }
        _candidateStreams = candidates.Select(c => StreamIndexes(c.Streams)).ToArray();
        _pastStreams = past.Select(p => StreamIndexes(p.Streams)).ToArray();

        var popularity = new int[past.Count];
        foreach (var (kind, links) in knowledge.Attendance)
            foreach (var group in links.GroupBy(l => l.BadgeId, StringComparer.Ordinal))
            {
                var sessions = group.Select(l => _pastIndex.GetValueOrDefault(l.SessionId, -1)).Where(i => i >= 0).Distinct().ToArray();
                if (sessions.Length == 0) continue;
                _attended[Key(kind, group.Key)] = sessions;
                foreach (var s in sessions) popularity[s]++;
            }

        var streamAttendance = new double[_streamIndex.Count];
        var totalAttendance = 0.0;
        for (var p = 0; p < past.Count; p++)
        {
            totalAttendance += popularity[p];
            foreach (var s in _pastStreams[p]) streamAttendance[s] += popularity[p];
        }
        _constantStreamPopularity = _candidateStreams.Select(streams => streams.Length == 0 || totalAttendance == 0 ? 0f
            : (float)(streams.Max(s => streamAttendance[s]) / totalAttendance)).ToArray();

        var maxLogPopularity = _maxLogPopularity = Math.Log(1 + (popularity.Length == 0 ? 0 : popularity.Max()));
        _popularity = popularity;
        _candidatePast = candidates.Select(c => candidatesArePast ? _pastIndex.GetValueOrDefault(c.SessionId, -1) : -1).ToArray();
        _neighbourPopularity = new float[candidates.Count];
        for (var c = 0; c < candidates.Count; c++)
        {
            var nearest = Enumerable.Range(0, past.Count).Where(p => !(candidatesArePast && past[p].SessionId == candidates[c].SessionId))
                .OrderByDescending(p => _cosines[p][c]).ThenBy(p => p).Take(Neighbours).ToList();
            double weight = 0, sum = 0;
            foreach (var p in nearest)
            {
                var w = Math.Max(_cosines[p][c], 0);
                weight += w;
                sum += w * Math.Log(1 + popularity[p]);
            }
            _neighbourPopularity[c] = weight == 0 || maxLogPopularity == 0 ? 0f : (float)(sum / weight / maxLogPopularity);
        }

        var maxCapacity = knowledge.TheatreCapacity.Count == 0 ? 0 : knowledge.TheatreCapacity.Values.Max();
        _theatreCapacity = candidates.Select(c => maxCapacity > 0 && knowledge.TheatreCapacity.TryGetValue(c.Theatre, out var capacity)
            ? (float)capacity / maxCapacity : 0f).ToArray();

        var profiles = knowledge.PastVisitors.SelectMany(group => group.Value
            .Where(v => _attended.ContainsKey(Key(group.Key, v.BadgeId)))
            .Select(v => new PastVisitorProfile(Key(group.Key, v.BadgeId), _attributes.Of(group.Key, v))));
        _similar = new SimilarVisitorFinder(_attributes.Weights, profiles, config.Recommendation.RandomSeed);
        _popular = Enumerable.Range(0, past.Count).Where(p => popularity[p] > 0)
            .OrderByDescending(p => popularity[p]).ThenBy(p => past[p].SessionId, StringComparer.Ordinal)
            .Take(ReferenceHeuristicScorer.PopularSourceCount).ToArray();
        PastPopularity = popularity;
    }

    public IReadOnlyList<RankingSession> Candidates { get; }

    /// <summary>How many known past visitors attended each past session (index of <see cref="RankingKnowledge.PastSessions"/>).</summary>
    public IReadOnlyList<int> PastPopularity { get; }

    private static string Key(VisitorKind kind, string badgeId) => $"{(int)kind}|{badgeId}";

    /// <summary>The visitor's features for every candidate. The visitor must not be among the knowledge's past visitors.</summary>
    public QueryFeatures Compute(RankingQuery query)
    {
        var attributes = _attributes.Of(query.Kind, query.Visitor);
        var (similar, similarSessions) = Similar(attributes);
        var own = query.OwnSessions.Select(id => _pastIndex.GetValueOrDefault(id, -1)).Where(i => i >= 0).Distinct().ToArray();

        string strategy;
        int[] sources;
        if (own.Length > 0) (strategy, sources) = (GenerationStrategies.ReturningPastSessions, own);
        else if (similarSessions.Length > 0)
            (strategy, sources) = (query.Returning ? GenerationStrategies.ReturningSimilarVisitors : GenerationStrategies.NewSimilarVisitors,
                similarSessions);
        else (strategy, sources) = (query.Returning ? GenerationStrategies.ReturningPopularFallback : GenerationStrategies.NewPopularFallback,
            _popular);

        var count = Candidates.Count;
        var max = new float[count];
        var sum = new float[count];
        if (sources.Length > 0)
        {
            Array.Fill(max, float.NegativeInfinity);
            foreach (var s in sources)
            {
                TensorPrimitives.Max(max, _cosines[s], max);
                TensorPrimitives.Add(sum, _cosines[s], sum);
            }
        }

        // Per stream: the share of similar visitors who attended it, and its share of their attendance.
        var visitorRate = new float[_streamIndex.Count];
        var attendanceShare = new float[_streamIndex.Count];
        var seen = new bool[_streamIndex.Count];
        var attendedTotal = 0;
        foreach (var visitor in similar)
        {
            Array.Clear(seen);
            foreach (var session in _attended[visitor])
            {
                attendedTotal++;
                foreach (var s in _pastStreams[session])
                {
                    attendanceShare[s]++;
                    if (!seen[s]) { seen[s] = true; visitorRate[s]++; }
                }
            }
        }
        if (similar.Length > 0) TensorPrimitives.Divide(visitorRate, similar.Length, visitorRate);
        if (attendedTotal > 0) TensorPrimitives.Divide(attendanceShare, attendedTotal, attendanceShare);

        var jobStreams = StreamSet(TextKeys.SplitList(query.Visitor.Properties.GetValueOrDefault(_config.Registration.JobRoleField)
            ?? "").SelectMany(_knowledge.JobRoleStreams.StreamsOf));
        var specialisationStreams = StreamSet(_attributes.Specialisations(query.Kind,
            query.Visitor).SelectMany(_knowledge.SpecialisationStreams.StreamsOf));

        var values = new float[count * RankingFeatures.Count];
        for (var c = 0; c < count; c++)
        {
            var row = values.AsSpan(c * RankingFeatures.Count, RankingFeatures.Count);
            var streams = _candidateStreams[c];
            row[RankingFeatures.SourceMaxCosine] = sources.Length > 0 ? max[c] : 0f;
            row[RankingFeatures.SourceMeanCosine] = sources.Length > 0 ? sum[c] / sources.Length : 0f;
            row[RankingFeatures.OwnHistoryMaxCosine] = own.Length > 0 ? max[c] : 0f;
            row[RankingFeatures.SimilarVisitorsStreamRate] = MaxOver(streams, visitorRate);
            row[RankingFeatures.SimilarAttendanceStreamShare] = MaxOver(streams, attendanceShare);
            row[RankingFeatures.JobRoleStreamMatch] = AnyOf(streams, jobStreams) ? 1f : 0f;
            row[RankingFeatures.SpecialisationStreamMatch] = AnyOf(streams, specialisationStreams) ? 1f : 0f;
            row[RankingFeatures.StreamPopularity] = _constantStreamPopularity[c];
            row[RankingFeatures.NeighbourPopularity] = _neighbourPopularity[c];
            row[RankingFeatures.TheatreCapacity] = _theatreCapacity[c];
            row[RankingFeatures.Returning] = query.Returning ? 1f : 0f;
            var past = _candidatePast[c];
            row[RankingFeatures.SessionPopularity] = past < 0 ? _neighbourPopularity[c] : LogShare(_popularity[past]);
        }
        return new QueryFeatures(values, strategy, sources.Length);
    }

    /// <summary>The past visitors most similar to these attributes and the sessions they attended; cached per signature.</summary>
    private (string[] Similar, int[] Sessions) Similar(IReadOnlyList<string?> attributes)
    {
        var wanted = _config.Recommendation.SimilarVisitorsCount;
        var signature = VisitorAttributes.Signature(attributes);
        lock (_cacheLock)
            if (_similarBySignature.TryGetValue(signature, out var cached)) return cached;
        var found = Resolve(_similar.Find(attributes, wanted));
        lock (_cacheLock) _similarBySignature[signature] = found;
        return found;
    }

    private (string[] Similar, int[] Sessions) Resolve(IEnumerable<string> keys)
    {
        var found = keys.ToArray();
        return (found, found.SelectMany(k => _attended[k]).Distinct().ToArray());
    }

    private int[] StreamIndexes(IEnumerable<string> streams) => streams.Select(s =>
    {
        if (!_streamIndex.TryGetValue(s.Trim(), out var i)) _streamIndex[s.Trim()] = i = _streamIndex.Count;
        return i;
    }).Distinct().ToArray();

    private bool[] StreamSet(IEnumerable<string> streams)
    {
        var set = new bool[_streamIndex.Count];
        foreach (var s in streams)
            if (_streamIndex.TryGetValue(s.Trim(), out var i)) set[i] = true;
        return set;
    }

    private static bool AnyOf(int[] streams, bool[] set)
    {
        foreach (var s in streams)
            if (set[s]) return true;
        return false;
    }

    private float LogShare(int attendance) => _maxLogPopularity == 0 ? 0f : (float)(Math.Log(1 + attendance) / _maxLogPopularity);

    private static float MaxOver(int[] streams, float[] values)
    {
        var best = 0f;
        foreach (var s in streams) best = Math.Max(best, values[s]);
        return best;
    }
}
