using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// The cross-show evaluation and the within-show holdout's breakdown per kind of visitor, on a small generated show run
/// through step 1 and the local embedder, as `pa evaluate` runs them.
/// </summary>
public sealed class CrossShowExperimentTests(CrossShowExperimentTests.GeneratedShow show) : IClassFixture<CrossShowExperimentTests.GeneratedShow>
{
    /// <summary>One generated show prepared and embedded once for every test here.</summary>
    public sealed class GeneratedShow : IAsyncLifetime
    {
        private readonly TempFolder _temp = new();

        public EventConfig Config { get; } = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));

        public RankingDataset Data { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var inputs = _temp.Combine("show");
            ShowDataGenerator.Generate(Config, new GenerationOptions(1500, 4), inputs, CancellationToken.None);
            var scratch = ArtifactStoreLocator.Open(_temp.Combine("scratch"));
            var prepared = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
                .RunAsync(new DataPreparationRequest(Config.WithAllPastVisitors(), ArtifactStoreLocator.Open(inputs), scratch, "evaluation"));
            Data = await RankingDataset.FromPreparationAsync(Config, scratch, prepared.Manifest,
                new SessionEmbedderProvider(ArtifactStoreLocator.Open(_temp.Combine("store")), null), CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            _temp.Dispose();
            return Task.CompletedTask;
        }
    }

    private static readonly string[] Methods =
        [RankingMethods.LearnedRanker, RankingMethods.Popularity, RankingMethods.Random, RankingMethods.ReferenceHeuristic];

    [Fact]
    public void The_knowledge_is_the_main_show_alone_and_holds_nothing_of_the_secondary_show()
    {
        var knowledge = CrossShowExperiment.MainShowKnowledge(show.Data);
        var candidates = CrossShowExperiment.SecondarySessions(show.Data);
        var candidateIds = candidates.Select(c => c.SessionId).ToHashSet();

        Assert.NotEmpty(candidates);
        Assert.Equal([VisitorKind.PastMain], knowledge.PastVisitors.Keys);
        Assert.Equal([VisitorKind.PastMain], knowledge.Attendance.Keys);
        Assert.Equal(show.Data.MainSessions.Select(s => s.SessionId), knowledge.PastSessions.Select(s => s.SessionId));
        // No label can leak: no candidate is a known session, and nobody known attended a candidate.
        Assert.DoesNotContain(knowledge.PastSessions, s => candidateIds.Contains(s.SessionId));
        Assert.DoesNotContain(knowledge.Attendance[VisitorKind.PastMain], l => candidateIds.Contains(l.SessionId));
        var secondaryBadges = show.Data.Knowledge.PastVisitors[VisitorKind.PastSecondary].Select(v => v.BadgeId).ToHashSet();
        Assert.DoesNotContain(knowledge.PastVisitors[VisitorKind.PastMain], v => secondaryBadges.Contains(v.BadgeId));
    }

    [Fact]
    public void Every_query_is_a_secondary_show_visitor_with_labels_and_the_linked_ones_bring_their_main_show_sessions()
    {
        var report = CrossShowExperiment.Run(show.Config, show.Data)!;
        var candidateIds = CrossShowExperiment.SecondarySessions(show.Data).Select(c => c.SessionId).ToHashSet();

        // Independently of the experiment: who attended a candidate at the secondary show, and who of them has a main-show
        // self (step 1's link) who attended something there.
        var withLabels = show.Data.Knowledge.Attendance[VisitorKind.PastSecondary].Where(l => candidateIds.Contains(l.SessionId))
            .Select(l => l.BadgeId).ToHashSet();
        var registered = show.Data.Knowledge.PastVisitors[VisitorKind.PastSecondary].Select(v => v.BadgeId).ToHashSet();
        var mainAttendees = show.Data.Knowledge.Attendance[VisitorKind.PastMain].Select(l => l.BadgeId).ToHashSet();
        var linked = show.Data.SecondarySelves.Where(p => mainAttendees.Contains(p.Key)).Select(p => p.Value).ToHashSet();
        var queries = withLabels.Where(registered.Contains).ToList();

        Assert.Equal(queries.Count, report.Queries);
        Assert.Equal(candidateIds.Count, report.CandidateSessions);
        Assert.Equal(queries.Count(linked.Contains), report.ByVisitorKind[EvaluationGroups.MainShowSelf].Visitors);
        Assert.Equal(queries.Count(q => !linked.Contains(q)), report.ByVisitorKind[EvaluationGroups.SimilarVisitors].Visitors);
        Assert.True(report.ByVisitorKind[EvaluationGroups.MainShowSelf].Visitors >= 10,
            $"only {report.ByVisitorKind[EvaluationGroups.MainShowSelf].Visitors} queries with a main-show self");
        Assert.Equal(Methods, report.Methods.Keys.Order());
        foreach (var group in report.ByVisitorKind.Values) Assert.Equal(Methods, group.Methods.Keys.Order());
    }

    [Fact]
    public void Popularity_gives_everyone_the_same_ten_and_the_rankers_beat_random()
    {
        var report = CrossShowExperiment.Run(show.Config, show.Data)!;

        // Candidates have no attendance of their own, so popularity is one estimated order for every query: one top 10.
        Assert.Equal(Math.Round(10.0 / report.CandidateSessions, 4), report.Methods[RankingMethods.Popularity].Coverage);
        var random = report.Methods[RankingMethods.Random].NdcgAt10;
        foreach (var method in new[] { RankingMethods.Popularity, RankingMethods.ReferenceHeuristic, RankingMethods.LearnedRanker })
            Assert.True(report.Methods[method].NdcgAt10 > random, $"{method} NDCG@10 {report.Methods[method].NdcgAt10} vs random {random}");
        // Own history is the strongest signal a ranker has about a visitor.
        var groups = report.ByVisitorKind;
        Assert.True(groups[EvaluationGroups.MainShowSelf].Methods[RankingMethods.ReferenceHeuristic].NdcgAt10
                    > groups[EvaluationGroups.MainShowSelf].Methods[RankingMethods.Random].NdcgAt10);
    }

    [Fact]
    public void The_same_data_and_seed_give_the_same_report_and_another_seed_another_random_order()
    {
        var first = CrossShowExperiment.Run(show.Config, show.Data);
        var second = CrossShowExperiment.Run(show.Config, show.Data);
        Assert.Equal(PipelineJson.Serialize(first), PipelineJson.Serialize(second));

        var path = Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml");
        var otherSeed = EventConfigLoader.Parse(File.ReadAllText(path).Replace("\nrecommendation:\n", "\nrecommendation:\n  ranking: { seed: 7 }\n"),
            path);
        var other = CrossShowExperiment.Run(otherSeed, show.Data)!;
        Assert.Equal(first!.Queries, other.Queries);
        Assert.NotEqual(PipelineJson.Serialize(first.Methods[RankingMethods.Random]), PipelineJson.Serialize(other.Methods[RankingMethods.Random]));
        // Popularity depends on the data alone.
        Assert.Equal(first.Methods[RankingMethods.Popularity], other.Methods[RankingMethods.Popularity]);
    }

    [Fact]
    public void The_holdout_is_scored_per_kind_of_held_out_visitor_and_the_kinds_add_up()
    {
        var report = RankingExperiment.Run(show.Config, show.Data).Report;

        var kinds = report.ByVisitorKind!;
        Assert.Equal(EvaluationGroups.WithinShow.Order(), kinds.Keys.Order());
        Assert.Equal(report.HoldoutVisitors, kinds.Values.Sum(k => k.Visitors));
        foreach (var kind in kinds.Values)
        {
            Assert.True(kind.Visitors > 0);
            Assert.Equal(report.Methods.Keys, kind.Methods.Keys);
        }
        // The overall recall is the visitor-weighted mean of the kinds' (each rounded to 4 places).
        foreach (var method in report.Methods.Keys)
            Assert.Equal(report.Methods[method].RecallAt10,
                kinds.Values.Sum(k => k.Visitors * k.Methods[method].RecallAt10) / report.HoldoutVisitors, 3);
    }
}
