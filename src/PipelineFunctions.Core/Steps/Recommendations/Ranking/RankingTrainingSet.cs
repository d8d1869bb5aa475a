using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// Turns past visitors into LambdaMART training queries. The visitors are split in folds and each fold's features
/// are computed from the knowledge without that fold: a visitor is never their own similar visitor and never counts
/// in the popularity they are ranked by. (Leaving out only their own scans would leak the label: a session's
/// popularity would then be one lower exactly when the visitor attended it, which trees learn to spot.)
/// Half the visitors with at least <see cref="MinSessionsToSplit"/> sessions (seeded) play a returning visitor: half
/// their sessions become their known history and the rest are the labels, so the model also learns from a
/// visitor's own history, as it gets for this year's returning visitors. Every attended session is a positive;
/// negatives are a uniform sample of the rest (mining "hard" negatives by a feature teaches the model that the
/// feature predicts non-attendance, which it then applies to every candidate).
/// </summary>
internal static class RankingTrainingSet
{
    public const int MinSessionsToSplit = 4;

    public const int Folds = 5;

    public static IReadOnlyList<RankingExample> Build(EventConfig config, RankingKnowledge knowledge, IReadOnlyList<RankingSession> candidates,
        IReadOnlyList<PastVisitorQuery> visitors, CancellationToken cancellationToken = default)
    {
        var settings = config.Recommendation.Ranking;
        var random = new Random(settings.Seed);
        var sample = visitors.ToArray();
        random.Shuffle(sample);
        if (sample.Length > settings.TrainingVisitors) sample = sample[..settings.TrainingVisitors];

        var candidateIndex = candidates.Select((c, i) => (c.SessionId, i)).ToDictionary(p => p.SessionId, p => p.i, StringComparer.Ordinal);
        // Each query gets its own seed drawn up front, so the queries can be built in parallel and stay reproducible.
        var plans = sample.Select((v, i) => (Visitor: v, Seed: random.Next(), Fold: i % Folds)).ToArray();
        var spaces = Enumerable.Range(0, Folds).Select(fold => new RankingFeatureSpace(config,
            knowledge.Without(plans.Where(p => p.Fold == fold).Select(p => (p.Visitor.Kind, p.Visitor.Visitor.BadgeId)).ToHashSet()),
            candidates, candidatesArePast: true)).ToArray();
        var perQuery = new List<RankingExample>[plans.Length];
        Parallel.For(0, plans.Length, new ParallelOptions { CancellationToken = cancellationToken }, q =>
        {
            var (visitor, seed, fold) = plans[q];
            var rng = new Random(seed);
            var attended = visitor.Attended.Where(candidateIndex.ContainsKey).Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).ToArray();
            string[] own = [];
            if (attended.Length >= MinSessionsToSplit && rng.NextDouble() < 0.5)
            {
                rng.Shuffle(attended);
                own = attended[..(attended.Length / 2)];
                attended = attended[(attended.Length / 2)..];
            }
            var features = spaces[fold].Compute(new RankingQuery(visitor.Kind, visitor.Visitor, own, Returning: own.Length > 0));
            var positive = new HashSet<int>(attended.Select(id => candidateIndex[id]));
            var known = new HashSet<int>(own.Select(id => candidateIndex[id]));
            var negatives = Enumerable.Range(0, candidates.Count).Where(c => !positive.Contains(c) && !known.Contains(c)).ToList();
            var sampled = negatives.ToArray();
            rng.Shuffle(sampled);
            var chosen = positive.Order().Concat(sampled.Take(settings.NegativesPerVisitor));
            perQuery[q] = chosen.Select(c => new RankingExample((uint)q, positive.Contains(c) ? 1f : 0f,
                features.Values.AsSpan(c * RankingFeatures.Count, RankingFeatures.Count).ToArray())).ToList();
        });
        return perQuery.SelectMany(q => q).ToList();
    }
}
