using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The offline experiment: hold out a seeded share of last year's main-show visitors who attended something, learn
/// from the rest, then rank last year's sessions for each held-out visitor from what would be known about them
/// and score the top 10 against what they attended. The held-out visitors are removed from the knowledge entirely:
/// they are nobody's similar visitor and count in no popularity. As step 4 ranks returning visitors with their own
/// past sessions, held-out visitors get a history where one exists: a visitor step 1 links to a past secondary-show
/// self is ranked with that self's sessions (another show's wording); of the others, a seeded half of those with
/// enough sessions play a returning visitor as in training (half their sessions known, the rest the labels, the
/// known ones never ranked); the rest are ranked from their registration alone.
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
            .ThenBy(c => space.Candidates[c].SessionId, StringComparer.Ordinal).ToArray();
        var threshold = config.SimilarityThreshold();
        var methods = new List<(string Name, Func<QueryFeatures, int, IEnumerable<int>> Rank)>
        {
            (RankingMethods.Random, (_, q) => RandomOrder(space.Candidates.Count, settings.Seed + q)),
            (RankingMethods.Popularity, (_, _) => popularityOrder),
            (RankingMethods.ReferenceHeuristic, (f, _) => HeuristicOrder(f, space.Candidates, threshold)),
            (RankingMethods.LearnedRanker, (f, _) => ModelOrder(candidate, f, space.Candidates)),
        };
        if (current is not null) methods.Add((RankingMethods.CurrentModel, (f, _) => ModelOrder(current, f, space.Candidates)));

        var queries = HoldoutQueries(data, holdout, candidateIds, settings.Seed);
        var candidateIndex = space.Candidates.Select((c, i) => (c.SessionId, i)).ToDictionary(p => p.SessionId, p => p.i, StringComparer.Ordinal);
        var tops = methods.Select(_ => new int[holdout.Length][]).ToArray();
        Parallel.For(0, holdout.Length, new ParallelOptions { CancellationToken = cancellationToken }, q =>
        {
            var query = queries[q];
            var features = space.Compute(query.Query);
            var known = query.Query.OwnSessions.Where(candidateIndex.ContainsKey).Select(id => candidateIndex[id]).ToHashSet();
            for (var m = 0; m < methods.Count; m++) tops[m][q] = methods[m].Rank(features, q).Where(c => !known.Contains(c)).Take(CutOff).ToArray();
        });

        var relevant = queries.Select(v => v.Labels.ToHashSet(StringComparer.Ordinal)).ToArray();
        var names = methods.Select(m => m.Name).ToList();
        var groups = queries.Select(v => v.Group).ToArray();
        var report = new EvaluationReport(config.Event.Name, settings.Seed, settings.HoldoutShare, training.Length, holdout.Length,
            space.Candidates.Count, examples.Count, RankingFeatures.SchemaVersion, Score(names, tops, relevant, space.Candidates))
        {
            ByVisitorKind = ScoreByGroup(EvaluationGroups.WithinShow, groups, names, tops, relevant, space.Candidates),
        };
        return new RankingExperimentResult(candidate, report);
    }

    public static RankerTrainingOptions Options(RankingSettings settings) =>
        new(settings.Trees, settings.Leaves, settings.LearningRate, settings.MinExamplesPerLeaf, settings.Seed);

    /// <summary>Each method's metrics over all queries (<paramref name="tops"/>: per method, per query, the top 10).</summary>
    internal static SortedDictionary<string, RankingMetrics> Score(IReadOnlyList<string> methods, IReadOnlyList<int[][]> tops,
        IReadOnlyList<HashSet<string>> relevant, IReadOnlyList<RankingSession> candidates)
    {
        var results = new SortedDictionary<string, RankingMetrics>(StringComparer.Ordinal);
        for (var m = 0; m < methods.Count; m++) results[methods[m]] = Metrics(tops[m], relevant, candidates);
        return results;
    }

    /// <summary>Each method's metrics per group of queries, every listed group present (with 0 visitors when none is in it).</summary>
    internal static SortedDictionary<string, EvaluationGroup> ScoreByGroup(IReadOnlyList<string> groupNames, IReadOnlyList<string> groups,
        IReadOnlyList<string> methods, IReadOnlyList<int[][]> tops, IReadOnlyList<HashSet<string>> relevant, IReadOnlyList<RankingSession> candidates)
    {
        var byGroup = new SortedDictionary<string, EvaluationGroup>(StringComparer.Ordinal);
        foreach (var name in groupNames)
        {
            var members = Enumerable.Range(0, groups.Count).Where(q => groups[q] == name).ToArray();
            byGroup[name] = new EvaluationGroup(members.Length, Score(methods, tops.Select(t => members.Select(q => t[q]).ToArray()).ToList(),
                members.Select(q => relevant[q]).ToList(), candidates));
        }
        return byGroup;
    }

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

    /// <summary>How each held-out visitor is ranked: the query (with any own history) and the sessions that count as hits.</summary>
    private static (RankingQuery Query, IReadOnlyList<string> Labels, string Group)[] HoldoutQueries(RankingDataset data, PastVisitorQuery[] holdout,
        IReadOnlySet<string> candidateIds, int seed)
    {
        var secondaryAttendance = (data.Knowledge.Attendance.GetValueOrDefault(VisitorKind.PastSecondary) ?? [])
            .ToLookup(l => l.BadgeId, l => l.SessionId, StringComparer.Ordinal);
        var random = new Random(seed);
        return holdout.Select(visitor =>
        {
            var attended = visitor.Attended.Where(candidateIds.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var playsReturning = random.NextDouble() < 0.5; // drawn for everyone, so one visitor's history does not shift the others'
            if (data.SecondarySelves.TryGetValue(visitor.Visitor.BadgeId, out var secondaryBadge)
                && secondaryAttendance[secondaryBadge].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
                    is { Count: > 0 } other)
                return (new RankingQuery(visitor.Kind, visitor.Visitor, other, Returning: true), (IReadOnlyList<string>)attended,
                    EvaluationGroups.CrossShowSelf);
            if (playsReturning && attended.Length >= RankingTrainingSet.MinSessionsToSplit)
            {
                var shuffled = attended.ToArray();
                new Random(seed ^ StableHash(visitor.Visitor.BadgeId)).Shuffle(shuffled);
                var own = shuffled[..(shuffled.Length / 2)];
                return (new RankingQuery(visitor.Kind, visitor.Visitor, own, Returning: true), shuffled[(shuffled.Length / 2)..],
                    EvaluationGroups.HalfOwnHistory);
            }
            return (new RankingQuery(visitor.Kind, visitor.Visitor, [], Returning: false), attended, EvaluationGroups.RegistrationOnly);
        }).ToArray();
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text) hash = unchecked(hash * 31 + c);
        return hash;
    }

    internal static int[] RandomOrder(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>The reference's order: maximum cosine with a source session, sessions under the threshold dropped.</summary>
    internal static IEnumerable<int> HeuristicOrder(QueryFeatures features, IReadOnlyList<RankingSession> candidates, double threshold) =>
        Enumerable.Range(0, candidates.Count).Where(c => features.Get(c, RankingFeatures.SourceMaxCosine) >= threshold)
            .OrderByDescending(c => features.Get(c, RankingFeatures.SourceMaxCosine)).ThenBy(c => candidates[c].SessionId, StringComparer.Ordinal);

    internal static IEnumerable<int> ModelOrder(LearnedRanker model, QueryFeatures features, IReadOnlyList<RankingSession> candidates)
    {
        var scores = model.Score(features.Values);
        return Enumerable.Range(0, candidates.Count).OrderByDescending(c => scores[c]).ThenBy(c => candidates[c].SessionId, StringComparer.Ordinal);
    }
}
