using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// The reference system's recommendation heuristic, kept as the fallback when no ranking model is trained:
/// source sessions are the visitor's own past sessions, else those of the most similar past visitors, else the most
/// popular past sessions; every this-year session is scored by its maximum cosine with a source session, kept when
/// at least min_similarity_score, and raised to similarity_exponent for returning visitors without history.
/// Cosines between past and this-year sessions are computed once (vectors are L2-normalised, so a dot product);
/// a visitor's score is then a max over rows of that matrix.
/// </summary>
internal sealed class ReferenceHeuristicScorer
{
    /// <summary>Popular past sessions used as sources when nothing better is known.</summary>
    public const int PopularSourceCount = 10;

    private readonly EventConfig _config;
    private readonly double _threshold;
    private readonly string[] _thisYearIds;
    // This year's sessions in ordinal id order, and each one's place in it: ties in score are broken by id with integers.
    private readonly int[] _byId, _idRank;
    private readonly Dictionary<string, float[]> _cosineRows = new(StringComparer.Ordinal); // past session -> cosine with each this-year session
    private readonly Dictionary<(VisitorKind, string), List<string>> _attended = [];
    private readonly Dictionary<string, List<(VisitorKind Kind, string BadgeId)>> _pastSelves;
    private readonly SimilarVisitorFinder _similar;
    private readonly IReadOnlyList<string> _popular;
    private readonly VisitorAttributes _attributes;
    // Shared by the threads scoring one shard; a signature searched twice by a race gives the same list both times.
    private readonly ConcurrentDictionary<string, List<string>> _similarSources = new(StringComparer.Ordinal);
    // Visitors without sessions of their own whose answers are alike share their sources, so their kept sessions in order:
    // worked out once per attribute signature (and found by the raw answers, which are cheaper to key than to normalise).
    private readonly ConcurrentDictionary<string, SharedRanking> _rankingsBySignature = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SharedRanking> _rankingsByAnswers = new(StringComparer.Ordinal);

    public ReferenceHeuristicScorer(EventConfig config, RecommendationData data)
    {
        _config = config;
        _threshold = config.SimilarityThreshold();
        _thisYearIds = data.ThisYearEmbeddings.Select(e => e.SessionId).ToArray();
        _byId = Enumerable.Range(0, _thisYearIds.Length).OrderBy(i => _thisYearIds[i], StringComparer.Ordinal).ToArray();
        _idRank = new int[_byId.Length];
        for (var r = 0; r < _byId.Length; r++) _idRank[_byId[r]] = r;
        foreach (var past in data.PastEmbeddings)
        {
            var row = new float[_thisYearIds.Length];
            for (var i = 0; i < row.Length; i++) row[i] = TensorPrimitives.Dot(past.Vector, data.ThisYearEmbeddings[i].Vector);
            _cosineRows[past.SessionId] = row;
        }
        foreach (var (kind, links) in data.Attendance)
            foreach (var link in links)
            {
                if (!_attended.TryGetValue((kind, link.BadgeId), out var sessions)) _attended[(kind, link.BadgeId)] = sessions = [];
                sessions.Add(link.SessionId);
            }
        _pastSelves = PastSelves(data.SameVisitors);

        _attributes = new VisitorAttributes(config);
        var candidates = data.PastVisitors.SelectMany(group => group.Value
            .Where(v => _attended.ContainsKey((group.Key, v.BadgeId)))
            .Select(v => new PastVisitorProfile(Key(group.Key, v.BadgeId), _attributes.Of(group.Key, v))));
        _similar = new SimilarVisitorFinder(_attributes.Weights, candidates, config.Recommendation.RandomSeed);

        _popular = data.Attendance.Values.SelectMany(l => l).GroupBy(l => l.SessionId, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Count: g.Count())).Where(p => _cosineRows.ContainsKey(p.Id))
            .OrderByDescending(p => p.Count).ThenBy(p => p.Id, StringComparer.Ordinal).Take(PopularSourceCount).Select(p => p.Id).ToList();
    }

    /// <summary>This scorer's show-wide knowledge (sessions, cosines, past visitors, the similar-visitor search) shared.</summary>
    private ReferenceHeuristicScorer(ReferenceHeuristicScorer shown, Dictionary<string, List<(VisitorKind Kind, string BadgeId)>> pastSelves)
    {
        (_config, _threshold, _thisYearIds, _byId, _idRank, _cosineRows, _attended) =
            (shown._config, shown._threshold, shown._thisYearIds, shown._byId, shown._idRank, shown._cosineRows, shown._attended);
        (_similar, _popular, _attributes, _similarSources) = (shown._similar, shown._popular, shown._attributes, shown._similarSources);
        (_rankingsBySignature, _rankingsByAnswers) = (shown._rankingsBySignature, shown._rankingsByAnswers);
        _pastSelves = pastSelves;
    }

    /// <summary>
    /// A scorer for other visitors of the same show: everything show-wide is shared (read-only, or safe across threads, as
    /// the similar visitors found per signature are), only the visitors' past selves are theirs. Shards of one run in one
    /// process build the show-wide part once.
    /// </summary>
    public ReferenceHeuristicScorer For(IReadOnlyList<SameVisitorLink> sameVisitors) => new(this, PastSelves(sameVisitors));

    private static Dictionary<string, List<(VisitorKind Kind, string BadgeId)>> PastSelves(IReadOnlyList<SameVisitorLink> sameVisitors)
    {
        var pastSelves = new Dictionary<string, List<(VisitorKind Kind, string BadgeId)>>(StringComparer.Ordinal);
        foreach (var link in sameVisitors)
        {
            if (!pastSelves.TryGetValue(link.BadgeId, out var selves)) pastSelves[link.BadgeId] = selves = [];
            selves.Add((link.PastKind, link.PastBadgeId));
        }
        return pastSelves;
    }

    /// <summary>This year's sessions as <see cref="Top"/> indexes them.</summary>
    public IReadOnlyList<string> SessionIds => _thisYearIds;

    /// <summary>One visitor's ranked sessions; safe to call from several threads at once.</summary>
    public VisitorScoring Score(VisitorNode visitor)
    {
        var (best, strategy, sources, exponent) = Cosines(visitor);
        var keys = ArrayPool<long>.Shared.Rent(_thisYearIds.Length);
        try
        {
            var above = 0;
            for (var i = 0; i < _thisYearIds.Length; i++)
                if (Kept(best[i])) keys[above++] = OrderKey(best, i);
            Array.Sort(keys, 0, above);
            var ranked = new List<ScoredSession>(above);
            for (var k = 0; k < above; k++)
            {
                var i = SessionOf(keys[k]);
                ranked.Add(new ScoredSession(_thisYearIds[i], Scored(best[i], exponent)));
            }
            return new VisitorScoring(new VisitorCandidates(visitor.BadgeId, visitor.Properties, ranked), strategy, sources);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<float>.Shared.Return(best);
        }
    }

    /// <summary>
    /// What <see cref="Score"/> then <see cref="BusinessRuleFilter.Apply"/> give, cut to the first <paramref name="depth"/>
    /// candidates, without building the whole list: the rules are worked out on counts of the candidates' trait
    /// combinations (<paramref name="combinations"/>, one per session of <see cref="SessionIds"/>), and only the passing
    /// candidates are ordered. A large show's visitors keep most sessions above a low threshold, of which step 4 reads a few.
    /// </summary>
    public HeuristicTop Top(VisitorNode visitor, BusinessRuleFilter? rules, byte[] combinations, int depth, List<string> notes)
    {
        var returning = _pastSelves.TryGetValue(visitor.BadgeId, out var selves);
        var own = returning ? OwnSessions(selves!) : [];
        if (own.Count == 0)
        {
            var shared = SharedRankingOf(visitor);
            var exponent = returning ? _config.Recommendation.SimilarityExponent : 1.0;
            return FirstPassing(visitor, rules, combinations, depth, notes, shared.Keys, shared.Cosines, exponent,
                SimilarStrategy(shared.Similar, returning));
        }
        // A visitor's own ranking is theirs alone: ordered in rented arrays (a pair of arrays per returning visitor was much of
        // what a shard allocated).
        var best = ArrayPool<float>.Shared.Rent(_thisYearIds.Length);
        var keys = ArrayPool<long>.Shared.Rent(_thisYearIds.Length);
        var cosines = ArrayPool<float>.Shared.Rent(_thisYearIds.Length);
        try
        {
            var above = Rank(own, best, keys, cosines);
            return FirstPassing(visitor, rules, combinations, depth, notes, keys.AsSpan(0, above), cosines.AsSpan(0, above), 1.0,
                GenerationStrategies.ReturningPastSessions);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cosines);
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<float>.Shared.Return(best);
        }
    }

    /// <summary><see cref="Top(VisitorNode, BusinessRuleFilter?, byte[], int, List{string})"/> of a ranking already in order.</summary>
    private HeuristicTop FirstPassing(VisitorNode visitor, BusinessRuleFilter? rules, byte[] combinations, int depth, List<string> notes,
        ReadOnlySpan<long> keys, ReadOnlySpan<float> cosines, double exponent, string strategy)
    {
        var passing = BusinessRuleFilter.AllCombinations;
        var count = keys.Length;
        if (rules is not null)
        {
            Span<int> counts = stackalloc int[BusinessRuleFilter.Combinations];
            foreach (var key in keys) counts[combinations[SessionOf(key)]]++;
            passing = rules.PassingCombinations(visitor.Properties, counts, notes);
            if (passing != BusinessRuleFilter.AllCombinations)
            {
                count = 0;
                for (var c = 0; c < BusinessRuleFilter.Combinations; c++)
                    if (BusinessRuleFilter.Passes(passing, (byte)c)) count += counts[c];
            }
        }
        // The kept sessions are already in order: the first passing ones are the visitor's top.
        var kept = Math.Min(count, depth);
        var sessions = new int[kept];
        var scores = new double[kept];
        for (int k = 0, i = 0; k < kept; i++)
        {
            var session = SessionOf(keys[i]);
            if (!BusinessRuleFilter.Passes(passing, combinations[session])) continue;
            sessions[k] = session;
            scores[k++] = Scored(cosines[i], exponent);
        }
        return new HeuristicTop(sessions, scores, count, strategy);
    }

    /// <summary>This year's sessions a visitor keeps, in order (score descending, then id), with their best cosines.</summary>
    private sealed record SharedRanking(long[] Keys, float[] Cosines, bool Similar);

    private SharedRanking SharedRankingOf(VisitorNode visitor)
    {
        var answers = Answers(visitor);
        if (_rankingsByAnswers.TryGetValue(answers, out var known)) return known;
        var attributes = _attributes.Of(VisitorKind.ThisYear, visitor);
        var ranking = _rankingsBySignature.GetOrAdd(VisitorAttributes.Signature(attributes), _ =>
        {
            var sources = SimilarSources(attributes);
            var similar = sources.Count > 0;
            if (!similar) sources = [.. _popular];
            return Ranking(sources) with { Similar = similar };
        });
        return _rankingsByAnswers.GetOrAdd(answers, ranking);
    }

    /// <summary>
    /// The visitor's raw answers to the similarity attributes, each prefixed by its length so no two lists of answers give
    /// the same key. For this year's visitors <see cref="VisitorAttributes.Of(VisitorKind, VisitorNode)"/> reads exactly these
    /// columns, so equal answers have an equal signature.
    /// </summary>
    private string Answers(VisitorNode visitor)
    {
        var builder = new System.Text.StringBuilder(64);
        foreach (var name in _attributes.Names)
        {
            if (visitor.Properties.GetValueOrDefault(name) is { } value) builder.Append(value.Length).Append(':').Append(value);
            else builder.Append('-');
        }
        return builder.ToString();
    }

    private SharedRanking Ranking(List<string> sources)
    {
        var best = ArrayPool<float>.Shared.Rent(_thisYearIds.Length);
        var keys = ArrayPool<long>.Shared.Rent(_thisYearIds.Length);
        var cosines = ArrayPool<float>.Shared.Rent(_thisYearIds.Length);
        try
        {
            var above = Rank(sources, best, keys, cosines);
            return new SharedRanking(keys.AsSpan(0, above).ToArray(), cosines.AsSpan(0, above).ToArray(), false);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(cosines);
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<float>.Shared.Return(best);
        }
    }

    /// <summary>
    /// The sessions kept for these sources in order (their <see cref="OrderKey"/>s) and their best cosines, into the given
    /// buffers (each at least as long as this year's sessions); returns how many are kept. <paramref name="best"/> is scratch.
    /// </summary>
    private int Rank(List<string> sources, float[] best, long[] keys, float[] cosines)
    {
        var span = best.AsSpan(0, _thisYearIds.Length);
        span.Fill(float.NegativeInfinity);
        foreach (var source in sources)
            if (_cosineRows.TryGetValue(source, out var row)) TensorPrimitives.Max(span, row, span);
        var above = 0;
        for (var i = 0; i < _thisYearIds.Length; i++)
            if (Kept(best[i])) keys[above++] = OrderKey(best, i);
        Array.Sort(keys, 0, above);
        for (var k = 0; k < above; k++) cosines[k] = best[SessionOf(keys[k])];
        return above;
    }

    private List<string> OwnSessions(List<(VisitorKind Kind, string BadgeId)> selves) =>
        selves.SelectMany(s => _attended.GetValueOrDefault(s) ?? []).Distinct(StringComparer.Ordinal).ToList();

    private List<string> SimilarSources(IReadOnlyList<string?> attributes) =>
        _similarSources.GetOrAdd(VisitorAttributes.Signature(attributes), _ => _similar.Find(attributes, _config.Recommendation.SimilarVisitorsCount)
            .SelectMany(key => _attended[ParseKey(key)]).Distinct(StringComparer.Ordinal).ToList());

    private static string SimilarStrategy(bool similar, bool returning) => similar
        ? returning ? GenerationStrategies.ReturningSimilarVisitors : GenerationStrategies.NewSimilarVisitors
        : returning ? GenerationStrategies.ReturningPopularFallback : GenerationStrategies.NewPopularFallback;

    /// <summary>
    /// A visitor's best cosine with a source session for each of this year's sessions (a rented array, longer than the
    /// sessions: the caller returns it to the pool), and how the sources were chosen.
    /// </summary>
    private (float[] Best, string Strategy, int Sources, double Exponent) Cosines(VisitorNode visitor)
    {
        var returning = _pastSelves.TryGetValue(visitor.BadgeId, out var selves);
        var own = returning ? OwnSessions(selves!) : [];
        string strategy;
        List<string> sources;
        if (own.Count > 0)
        {
            (strategy, sources) = (GenerationStrategies.ReturningPastSessions, own);
        }
        else
        {
            // Visitors with the same attributes have the same similar visitors: search once per attribute signature.
            sources = SimilarSources(_attributes.Of(VisitorKind.ThisYear, visitor));
            strategy = SimilarStrategy(sources.Count > 0, returning);
            if (sources.Count == 0) sources = [.. _popular];
        }

        // Rented: a large show scores hundreds of thousands of visitors, and these arrays were most of what step 4 allocated.
        // The caller returns it.
        var best = ArrayPool<float>.Shared.Rent(_thisYearIds.Length);
        var span = best.AsSpan(0, _thisYearIds.Length);
        span.Fill(float.NegativeInfinity);
        foreach (var source in sources)
            if (_cosineRows.TryGetValue(source, out var row)) TensorPrimitives.Max(span, row, span);

        // Returning visitors without history of their own: the reference raised their scores to the exponent.
        var exponent = returning && own.Count == 0 ? _config.Recommendation.SimilarityExponent : 1.0;
        return (best, strategy, sources.Count, exponent);
    }

    private bool Kept(float cosine) => cosine >= _threshold && cosine >= 0;

    /// <summary>
    /// Score descending, then session id, as one integer: sorting structs by a comparison that compares ids was most of
    /// step 4's scoring once a low threshold kept hundreds of candidates per visitor. The threshold is at least 0, so every
    /// kept score is a non-negative float, whose bits order as integers do; the exponent is increasing, so it keeps the order.
    /// </summary>
    // + 0f turns -0 into +0, whose bits are 0.
    private long OrderKey(float[] best, int i) =>
        ((long)(int.MaxValue - BitConverter.SingleToInt32Bits(best[i] + 0f)) << 32) | (uint)_idRank[i];

    private int SessionOf(long key) => _byId[(int)(key & 0xFFFF_FFFF)];

    private static double Scored(float cosine, double exponent) => exponent == 1.0 ? cosine : Math.Pow(cosine, exponent);

    private static string Key(VisitorKind kind, string badgeId) => $"{(int)kind}|{badgeId}";

    private static (VisitorKind, string) ParseKey(string key) => ((VisitorKind)(key[0] - '0'), key[2..]);
}
