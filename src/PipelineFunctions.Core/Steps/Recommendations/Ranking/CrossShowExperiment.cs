using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The cross-show evaluation: step 4's situation replayed on last year's data, forward in time. Step 4 always ranks
/// sessions nobody has attended yet, worded for a new show, from sessions of past shows; the within-show holdout
/// (<see cref="RankingExperiment"/>) mostly ranks a show's sessions from sessions of the same show. Here the knowledge is
/// the past main show alone (its visitors, their attendance, its sessions); the queries are the past secondary-show
/// visitors (the show after it) who attended one of its sessions; the candidates are the secondary show's sessions and
/// the labels what each query attended there. A query whom step 1 links to a main-show self (this year's visitors who came
/// to both past shows) is ranked with that self's sessions as own history; the others from similar main-show visitors.
/// Nothing of the secondary show is known: no visitor, scan or session vector enters the knowledge, so candidates have
/// no attendance and popularity is step 4's estimate for this year's sessions, the popularity of their nearest past
/// sessions (<see cref="RankingFeatures.NeighbourPopularity"/>). The learned ranker is trained on the whole main show,
/// as the model step 4 uses is trained on past shows.
/// </summary>
public static class CrossShowExperiment
{
    /// <summary>The evaluation, or null when no past secondary-show visitor attended one of its sessions.</summary>
    public static CrossShowReport? Run(EventConfig config, RankingDataset data, CancellationToken cancellationToken = default)
    {
        var settings = config.Recommendation.Ranking;
        var knowledge = MainShowKnowledge(data);
        var candidates = SecondarySessions(data);
        var queries = Queries(data, candidates);
        if (queries.Count == 0 || candidates.Count == 0) return null;

        var mainIds = new HashSet<string>(data.MainSessions.Select(s => s.SessionId), StringComparer.Ordinal);
        var mainVisitors = data.MainVisitorQueries(mainIds);
        if (mainVisitors.Count < 10)
            throw new PipelineInputException($"event {config.Event.Name}",
                $"has {mainVisitors.Count} past main-show visitors who attended a session; at least 10 are needed to train a ranker");
        var examples = RankingTrainingSet.Build(config, knowledge, data.MainSessions, mainVisitors, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var model = LearnedRanker.Train(examples, RankingExperiment.Options(settings));

        var space = new RankingFeatureSpace(config, knowledge, candidates, candidatesArePast: false);
        var threshold = config.SimilarityThreshold();
        var methods = new List<(string Name, Func<QueryFeatures, int, IEnumerable<int>> Rank)>
        {
            (RankingMethods.Random, (_, q) => RankingExperiment.RandomOrder(candidates.Count, settings.Seed + q)),
            (RankingMethods.Popularity, (f, _) => PopularityOrder(f, candidates)),
            (RankingMethods.ReferenceHeuristic, (f, _) => RankingExperiment.HeuristicOrder(f, candidates, threshold)),
            (RankingMethods.LearnedRanker, (f, _) => RankingExperiment.ModelOrder(model, f, candidates)),
        };
        var tops = methods.Select(_ => new int[queries.Count][]).ToArray();
        Parallel.For(0, queries.Count, new ParallelOptions { CancellationToken = cancellationToken }, q =>
        {
            var features = space.Compute(queries[q].Query);
            for (var m = 0; m < methods.Count; m++) tops[m][q] = methods[m].Rank(features, q).Take(RankingExperiment.CutOff).ToArray();
        });

        var relevant = queries.Select(v => v.Labels.ToHashSet(StringComparer.Ordinal)).ToArray();
        var names = methods.Select(m => m.Name).ToList();
        return new CrossShowReport(config.Event.Name, settings.Seed, mainVisitors.Count, examples.Count, queries.Count, candidates.Count,
            RankingExperiment.Score(names, tops, relevant, candidates),
            RankingExperiment.ScoreByGroup(EvaluationGroups.CrossShow, queries.Select(v => v.Group).ToArray(), names, tops, relevant, candidates));
    }

    /// <summary>What the past main show alone tells: its visitors, their attendance and its sessions.</summary>
    public static RankingKnowledge MainShowKnowledge(RankingDataset data) => data.Knowledge with
    {
        PastVisitors = new Dictionary<VisitorKind, IReadOnlyList<VisitorNode>>
        {
            [VisitorKind.PastMain] = data.Knowledge.PastVisitors.GetValueOrDefault(VisitorKind.PastMain) ?? [],
        },
        Attendance = new Dictionary<VisitorKind, IReadOnlyList<AttendanceLink>>
        {
            [VisitorKind.PastMain] = data.Knowledge.Attendance.GetValueOrDefault(VisitorKind.PastMain) ?? [],
        },
        PastSessions = data.MainSessions,
    };

    /// <summary>The past secondary show's sessions: the past sessions that are not the main show's, in session id order.</summary>
    public static IReadOnlyList<RankingSession> SecondarySessions(RankingDataset data)
    {
        var mainIds = new HashSet<string>(data.MainSessions.Select(s => s.SessionId), StringComparer.Ordinal);
        return data.Knowledge.PastSessions.Where(s => !mainIds.Contains(s.SessionId)).DistinctBy(s => s.SessionId)
            .OrderBy(s => s.SessionId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Every past secondary-show visitor who attended one of <paramref name="candidates"/>, in badge order, with their main-show
    /// self's sessions as own history when step 1 links one who attended something.
    /// </summary>
    internal static IReadOnlyList<(RankingQuery Query, IReadOnlyList<string> Labels, string Group)> Queries(RankingDataset data,
        IReadOnlyList<RankingSession> candidates)
    {
        var candidateIds = new HashSet<string>(candidates.Select(c => c.SessionId), StringComparer.Ordinal);
        var mainIds = new HashSet<string>(data.MainSessions.Select(s => s.SessionId), StringComparer.Ordinal);
        var attended = (data.Knowledge.Attendance.GetValueOrDefault(VisitorKind.PastSecondary) ?? [])
            .Where(l => candidateIds.Contains(l.SessionId))
            .ToLookup(l => l.BadgeId, l => l.SessionId, StringComparer.Ordinal);
        var mainAttendance = (data.Knowledge.Attendance.GetValueOrDefault(VisitorKind.PastMain) ?? [])
            .Where(l => mainIds.Contains(l.SessionId))
            .ToLookup(l => l.BadgeId, l => l.SessionId, StringComparer.Ordinal);
        var mainSelf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (main, secondary) in data.SecondarySelves.OrderBy(p => p.Key, StringComparer.Ordinal)) mainSelf.TryAdd(secondary, main);

        return (data.Knowledge.PastVisitors.GetValueOrDefault(VisitorKind.PastSecondary) ?? [])
            .DistinctBy(v => v.BadgeId, StringComparer.Ordinal)
            .Where(v => attended[v.BadgeId].Any())
            .OrderBy(v => v.BadgeId, StringComparer.Ordinal)
            .Select(v =>
            {
                var labels = attended[v.BadgeId].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var linked = mainSelf.TryGetValue(v.BadgeId, out var main);
                var own = linked ? mainAttendance[main!].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : [];
                return (new RankingQuery(VisitorKind.PastSecondary, v, own, Returning: linked), (IReadOnlyList<string>)labels,
                    own.Count > 0 ? EvaluationGroups.MainShowSelf : EvaluationGroups.SimilarVisitors);
            }).ToList();
    }

    /// <summary>Sessions nobody has attended yet by step 4's estimate: their nearest past sessions' popularity, then id.</summary>
    private static IEnumerable<int> PopularityOrder(QueryFeatures features, IReadOnlyList<RankingSession> candidates) =>
        Enumerable.Range(0, candidates.Count).OrderByDescending(c => features.Get(c, RankingFeatures.SessionPopularity))
            .ThenBy(c => candidates[c].SessionId, StringComparer.Ordinal);
}
