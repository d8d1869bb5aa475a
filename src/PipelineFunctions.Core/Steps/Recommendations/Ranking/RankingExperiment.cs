using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The offline experiment: hold out a seeded share of last year's main-show visitors who attended something, learn
/// from the rest, then rank last year's sessions for each held-out visitor from what would be known about them
/// (their registration, not their attendance) and score the top 10 against what they attended. The held-out
/// visitors are removed from the knowledge entirely: they are nobody's similar visitor and count in no popularity.
/// </summary>
public static class RankingExperiment
{
    public const int CutOff = 10;

    public static RankingExperimentResult Run(EventConfig config, RankingDataset data, LearnedRanker? current = null,
        CancellationToken cancellationToken = default)
    {
        var settings = config.Recommendation.Ranking;
        var candidateIds = new HashSet<string>(data.MainSessions.Select(s => s.SessionId), StringComparer.Ordinal);
        var visitors = data.MainVisitorQueries(candidateIds);
        if (visitors.Count < 10)
            throw new PipelineInputException($"event {config.Event.Name}",
                $"has {visitors.Count} past visitors who attended a session; at least 10 are needed to train and evaluate a ranker");

        var shuffled = visitors.OrderBy(v => v.Visitor.BadgeId, StringComparer.Ordinal).ToArray();
        new Random(settings.Seed).Shuffle(shuffled);
        var holdoutCount = Math.Max(1, (int)Math.Round(shuffled.Length * settings.HoldoutShare));
        var holdout = shuffled[..holdoutCount];
        var training = shuffled[holdoutCount..];
        var hidden = holdout.Select(v => (v.Kind, v.Visitor.BadgeId)).ToHashSet();

        var known = data.Knowledge.Without(hidden);
        var space = new RankingFeatureSpace(config, known, data.MainSessions, candidatesArePast: true);
        var examples = RankingTrainingSet.Build(config, known, data.MainSessions, training, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var candidate = LearnedRanker.Train(examples, Options(settings));

        var pastIndex = data.Knowledge.PastSessions.Select((s, i) => (s.SessionId, i)).ToDictionary(p => p.SessionId, p => p.i,
            StringComparer.Ordinal);
        var popularityOrder = Enumerable.Range(0, space.Candidates.Count)
            .OrderByDescending(c => pastIndex.TryGetValue(space.Candidates[c].SessionId, out var p) ? space.PastPopularity[p] : 0)
            .ThenBy(c => space.Candidates[c].SessionId, StringComparer.Ordinal).Take(CutOff).ToArray();
        var threshold = config.Recommendation.MinSimilarityScoreFor(config.Embeddings.Generator);
        var methods = new List<(string Name, Func<QueryFeatures, int, int[]> Rank)>
        {
            (RankingMethods.Random, (_, q) => RandomTop(space.Candidates.Count, settings.Seed + q)),
            (RankingMethods.Popularity, (_, _) => popularityOrder),
            (RankingMethods.ReferenceHeuristic, (f, _) => HeuristicTop(f, space.Candidates, threshold)),
            (RankingMethods.LearnedRanker, (f, _) => ModelTop(candidate, f, space.Candidates)),
        };
        if (current is not null) methods.Add((RankingMethods.CurrentModel, (f, _) => ModelTop(current, f, space.Candidates)));

        var tops = methods.Select(_ => new int[holdout.Length][]).ToArray();
        Parallel.For(0, holdout.Length, new ParallelOptions { CancellationToken = cancellationToken }, q =>
        {
            var visitor = holdout[q];
            var features = space.Compute(new RankingQuery(visitor.Kind, visitor.Visitor, [], Returning: false));
            for (var m = 0; m < methods.Count; m++) tops[m][q] = methods[m].Rank(features, q);
        });

        var relevant = holdout.Select(v => v.Attended.Where(candidateIds.Contains).ToHashSet(StringComparer.Ordinal)).ToArray();
        var results = new SortedDictionary<string, RankingMetrics>(StringComparer.Ordinal);
        for (var m = 0; m < methods.Count; m++)
            results[methods[m].Name] = Metrics(tops[m], relevant, space.Candidates);
        var report = new EvaluationReport(config.Event.Name, settings.Seed, settings.HoldoutShare, training.Length, holdout.Length,
            space.Candidates.Count, examples.Count, RankingFeatures.SchemaVersion, results);
        return new RankingExperimentResult(candidate, report);
    }

    public static RankerTrainingOptions Options(RankingSettings settings) =>
        new(settings.Trees, settings.Leaves, settings.LearningRate, settings.MinExamplesPerLeaf, settings.Seed);

    /// <summary>
    /// Recall@10 and binary-relevance NDCG@10 averaged over visitors; coverage: distinct sessions in any top 10 over the catalogue.
    /// </summary>
    public static RankingMetrics Metrics(IReadOnlyList<int[]> tops, IReadOnlyList<HashSet<string>> relevant, IReadOnlyList<RankingSession> candidates)
    {
        double recall = 0, ndcg = 0;
        var covered = new HashSet<int>();
        for (var q = 0; q < tops.Count; q++)
        {
            double dcg = 0, ideal = 0;
            var hits = 0;
            for (var rank = 0; rank < tops[q].Length; rank++)
            {
                covered.Add(tops[q][rank]);
                if (!relevant[q].Contains(candidates[tops[q][rank]].SessionId)) continue;
                hits++;
                dcg += 1 / Math.Log2(rank + 2);
            }
            for (var rank = 0; rank < Math.Min(CutOff, relevant[q].Count); rank++) ideal += 1 / Math.Log2(rank + 2);
            recall += relevant[q].Count == 0 ? 0 : (double)hits / relevant[q].Count;
            ndcg += ideal == 0 ? 0 : dcg / ideal;
        }
        var n = Math.Max(1, tops.Count);
        return new RankingMetrics(Math.Round(recall / n, 4), Math.Round(ndcg / n, 4),
            Math.Round((double)covered.Count / Math.Max(1, candidates.Count), 4));
    }

    private static int[] RandomTop(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order[..Math.Min(CutOff, count)];
    }

    /// <summary>The reference's order: maximum cosine with a source session, sessions under the threshold dropped.</summary>
    private static int[] HeuristicTop(QueryFeatures features, IReadOnlyList<RankingSession> candidates, double threshold) =>
        Enumerable.Range(0, candidates.Count).Where(c => features.Get(c, RankingFeatures.SourceMaxCosine) >= threshold)
            .OrderByDescending(c => features.Get(c, RankingFeatures.SourceMaxCosine)).ThenBy(c => candidates[c].SessionId, StringComparer.Ordinal)
            .Take(CutOff).ToArray();

    private static int[] ModelTop(LearnedRanker model, QueryFeatures features, IReadOnlyList<RankingSession> candidates)
    {
        var scores = model.Score(features.Values);
        return Enumerable.Range(0, candidates.Count).OrderByDescending(c => scores[c]).ThenBy(c => candidates[c].SessionId, StringComparer.Ordinal)
            .Take(CutOff).ToArray();
    }
}
