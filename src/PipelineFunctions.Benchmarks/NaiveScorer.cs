using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// The comparison point for step 4's scoring: the reference's shape, one visitor at a time. For each visitor it
/// scans every past visitor to find the similar ones, then for every this-year session loops over every source
/// session computing the cosine element by element. Same inputs as step 4; used only by the benchmark.
/// </summary>
internal sealed class NaiveScorer(EventConfig config, RecommendationData data)
{
    private readonly VisitorAttributes _attributes = new(config);
    private readonly Dictionary<string, float[]> _pastVectors = data.PastEmbeddings.ToDictionary(e => e.SessionId, e => e.Vector);

    public int Score(VisitorNode visitor)
    {
        var own = data.SameVisitors.Where(l => l.BadgeId == visitor.BadgeId)
            .SelectMany(l => data.Attendance[l.PastKind].Where(a => a.BadgeId == l.PastBadgeId).Select(a => a.SessionId)).ToList();
        var sources = own.Count > 0 ? own : SimilarVisitorsSessions(visitor);
        var kept = 0;
        foreach (var session in data.ThisYearEmbeddings)
        {
            var best = double.NegativeInfinity;
            foreach (var source in sources)
            {
                if (!_pastVectors.TryGetValue(source, out var vector)) continue;
                double dot = 0;
                for (var i = 0; i < vector.Length; i++) dot += vector[i] * session.Vector[i];
                best = Math.Max(best, dot);
            }
            if (best >= config.SimilarityThreshold()) kept++;
        }
        return kept;
    }

    private List<string> SimilarVisitorsSessions(VisitorNode visitor)
    {
        var mine = _attributes.Of(VisitorKind.ThisYear, visitor);
        var scored = new List<(double Score, VisitorKind Kind, string BadgeId)>();
        foreach (var (kind, visitors) in data.PastVisitors)
            foreach (var past in visitors)
            {
                var theirs = _attributes.Of(kind, past);
                var score = 0.0;
                for (var a = 0; a < mine.Count; a++)
                    if (!string.IsNullOrWhiteSpace(mine[a]) && string.Equals(mine[a]?.Trim(), theirs[a]?.Trim(), StringComparison.OrdinalIgnoreCase))
                        score += _attributes.Weights[a];
                if (score > 0) scored.Add((score, kind, past.BadgeId));
            }
        return scored.OrderByDescending(s => s.Score).Take(config.Recommendation.SimilarVisitorsCount)
            .SelectMany(s => data.Attendance[s.Kind].Where(a => a.BadgeId == s.BadgeId).Select(a => a.SessionId)).Distinct().ToList();
    }
}
