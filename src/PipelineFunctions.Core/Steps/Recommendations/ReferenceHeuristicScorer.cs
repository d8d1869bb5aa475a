using System.Numerics.Tensors;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>How a visitor's source sessions were chosen (the reference's generation_strategy values).</summary>
public static class GenerationStrategies
{
    public const string ReturningPastSessions = "returning_past_sessions";
    public const string ReturningSimilarVisitors = "returning_similar_visitors";
    public const string ReturningPopularFallback = "returning_popular_fallback";
    public const string NewSimilarVisitors = "new_similar_visitors";
    public const string NewPopularFallback = "new_popular_fallback";
}

/// <summary>Everything step 4 reads from the graph, in bulk.</summary>
public sealed record RecommendationData(
    IReadOnlyList<VisitorNode> Visitors,
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<VisitorNode>> PastVisitors,
    IReadOnlyList<SameVisitorLink> SameVisitors,
    IReadOnlyDictionary<VisitorKind, IReadOnlyList<AttendanceLink>> Attendance,
    IReadOnlyList<SessionEmbedding> ThisYearEmbeddings,
    IReadOnlyList<SessionEmbedding> PastEmbeddings);

/// <summary>A visitor's ranked candidates and how their source sessions were chosen.</summary>
public sealed record HeuristicScoring(VisitorCandidates Candidates, string Strategy, int SourceSessions);

/// <summary>
/// The reference system's recommendation heuristic, kept as the fallback when no ranking model is trained:
/// source sessions are the visitor's own past sessions, else those of the most similar past visitors, else the most
/// popular past sessions; every this-year session is scored by its maximum cosine with a source session, kept when
/// at least min_similarity_score, and raised to similarity_exponent for returning visitors without history.
/// Cosines between past and this-year sessions are computed once (vectors are L2-normalised, so a dot product);
/// a visitor's score is then a max over rows of that matrix.
/// </summary>
public sealed class ReferenceHeuristicScorer
{
    /// <summary>Popular past sessions used as sources when nothing better is known.</summary>
    public const int PopularSourceCount = 10;

    private readonly EventConfig _config;
    private readonly string[] _thisYearIds;
    private readonly Dictionary<string, float[]> _cosineRows = new(StringComparer.Ordinal); // past session -> cosine with each this-year session
    private readonly Dictionary<(VisitorKind, string), List<string>> _attended = [];
    private readonly Dictionary<string, List<(VisitorKind Kind, string BadgeId)>> _pastSelves = new(StringComparer.Ordinal);
    private readonly SimilarVisitorFinder _similar;
    private readonly IReadOnlyList<string> _popular;
    private readonly string[] _attributes;
    private readonly Dictionary<string, List<string>> _similarSources = new(StringComparer.Ordinal);
    private readonly Dictionary<VisitorKind, Dictionary<string, string>> _specialisationMaps;

    public ReferenceHeuristicScorer(EventConfig config, RecommendationData data)
    {
        _config = config;
        var maps = config.Streams.SpecialisationMaps;
        _specialisationMaps = new()
        {
            [VisitorKind.ThisYear] = new(maps.ThisYear, StringComparer.OrdinalIgnoreCase),
            [VisitorKind.PastMain] = new(maps.PastMain, StringComparer.OrdinalIgnoreCase),
            [VisitorKind.PastSecondary] = new(maps.PastSecondary, StringComparer.OrdinalIgnoreCase),
        };
        _thisYearIds = data.ThisYearEmbeddings.Select(e => e.SessionId).ToArray();
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
        foreach (var link in data.SameVisitors)
        {
            if (!_pastSelves.TryGetValue(link.BadgeId, out var selves)) _pastSelves[link.BadgeId] = selves = [];
            selves.Add((link.PastKind, link.PastBadgeId));
        }

        _attributes = config.Recommendation.SimilarityAttributes.Keys.ToArray();
        var weights = config.Recommendation.SimilarityAttributes.Values.ToArray();
        var candidates = data.PastVisitors.SelectMany(group => group.Value
            .Where(v => _attended.ContainsKey((group.Key, v.BadgeId)))
            .Select(v => new PastVisitorProfile(Key(group.Key, v.BadgeId), _attributes.Select(a => Attribute(group.Key, v, a)).ToList())));
        _similar = new SimilarVisitorFinder(weights, candidates, config.Recommendation.RandomSeed);

        _popular = data.Attendance.Values.SelectMany(l => l).GroupBy(l => l.SessionId, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Count: g.Count())).Where(p => _cosineRows.ContainsKey(p.Id))
            .OrderByDescending(p => p.Count).ThenBy(p => p.Id, StringComparer.Ordinal).Take(PopularSourceCount).Select(p => p.Id).ToList();
    }

    public HeuristicScoring Score(VisitorNode visitor)
    {
        var returning = _pastSelves.TryGetValue(visitor.BadgeId, out var selves);
        var own = returning ? selves!.SelectMany(s => _attended.GetValueOrDefault(s) ?? []).Distinct(StringComparer.Ordinal).ToList() : [];
        string strategy;
        List<string> sources;
        if (own.Count > 0)
        {
            (strategy, sources) = (GenerationStrategies.ReturningPastSessions, own);
        }
        else
        {
            // Visitors with the same attributes have the same similar visitors: search once per attribute signature.
            var attributes = _attributes.Select(a => Attribute(VisitorKind.ThisYear, visitor, a)).ToList();
            var signature = string.Join('\u001f', attributes.Select(a => a?.Trim().ToLowerInvariant() ?? "\u0000"));
            if (!_similarSources.TryGetValue(signature, out var cached))
            {
                var similar = _similar.Find(attributes, _config.Recommendation.SimilarVisitorsCount);
                _similarSources[signature] = cached = similar.SelectMany(key => _attended[ParseKey(key)]).Distinct(StringComparer.Ordinal).ToList();
            }
            sources = cached;
            strategy = sources.Count > 0
                ? returning ? GenerationStrategies.ReturningSimilarVisitors : GenerationStrategies.NewSimilarVisitors
                : returning ? GenerationStrategies.ReturningPopularFallback : GenerationStrategies.NewPopularFallback;
            if (sources.Count == 0) sources = [.. _popular];
        }

        var best = new float[_thisYearIds.Length];
        Array.Fill(best, float.NegativeInfinity);
        foreach (var source in sources)
            if (_cosineRows.TryGetValue(source, out var row)) TensorPrimitives.Max(best, row, best);

        // Returning visitors without history of their own: the reference raised their scores to the exponent.
        var exponent = returning && own.Count == 0 ? _config.Recommendation.SimilarityExponent : 1.0;
        var ranked = new List<ScoredSession>();
        for (var i = 0; i < best.Length; i++)
        {
            if (best[i] < _config.Recommendation.MinSimilarityScore) continue;
            ranked.Add(new ScoredSession(_thisYearIds[i], exponent == 1.0 ? best[i] : Math.Pow(best[i], exponent)));
        }
        ranked.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.SessionId, b.SessionId));
        return new HeuristicScoring(new VisitorCandidates(visitor.BadgeId, visitor.Properties, ranked), strategy, sources.Count);
    }

    /// <summary>
    /// A visitor's value of a similarity attribute. The practice type is asked under another column and in other words
    /// at each show (BVA's "Companion Animal" is LVS's "Small Animal"), so it is read from the group's column and
    /// mapped through the group's specialisation map before it is compared.
    /// </summary>
    private string? Attribute(VisitorKind kind, VisitorNode visitor, string attribute)
    {
        var fields = _config.Registration.PracticeTypeFields;
        if (attribute != fields.ThisYear) return visitor.Properties.GetValueOrDefault(attribute);
        var column = kind switch
        {
            VisitorKind.ThisYear => fields.ThisYear,
            VisitorKind.PastMain => fields.PastMain ?? attribute,
            _ => fields.PastSecondary ?? attribute,
        };
        var value = visitor.Properties.GetValueOrDefault(column);
        var map = _specialisationMaps[kind];
        if (string.IsNullOrEmpty(value) || map.Count == 0) return value;
        return string.Join(';', Inputs.TextKeys.SplitList(value).Select(part => map.GetValueOrDefault(part) ?? part));
    }

    private static string Key(VisitorKind kind, string badgeId) => $"{(int)kind}|{badgeId}";

    private static (VisitorKind, string) ParseKey(string key) => ((VisitorKind)(key[0] - '0'), key[2..]);
}
