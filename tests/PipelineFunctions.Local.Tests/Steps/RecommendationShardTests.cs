using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 4 split into visitor shards: the exports do not depend on the shard size, for either ranker, on the sample and
/// on a generated show; a later run reuses the shards whose visitors did not change and still gives what a full rerun gives.
/// </summary>
public sealed class RecommendationShardTests : IDisposable
{
    private static readonly string[] Exports =
    [
        RecommendationStep.RecommendationsJson, RecommendationStep.RecommendationsCsv, RecommendationStep.ControlJson, RecommendationStep.ControlCsv,
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The event's config with recommendation settings added (YAML lines under <c>recommendation:</c>).</summary>
    private static EventConfig Config(string eventName, params string[] recommendation)
    {
        var path = Path.Combine(Repository.Root, "config", "events", eventName + ".yaml");
        var lines = string.Concat(recommendation.Select(line => $"  {line}\n"));
        // The shows word last year's topics anew, so the local embedder's cosines are low: at a 0.1 threshold the heuristic's
        // lists stay longer than an agenda, and the cut lists are read deep, as this class needs.
        var yaml = File.ReadAllText(path).Replace("\nrecommendation:\n", $"\nrecommendation:\n{lines}")
            .Replace("min_similarity_score: 0.3", "min_similarity_score: 0.1");
        return EventConfigLoader.Parse(yaml, path);
    }

    private sealed class Show(EventConfig config, IArtifactStore store, IAgendaGraphFactory graphs, Uri prepared)
    {
        public IArtifactStore Store => store;
        public Uri Prepared => prepared;
        public IAgendaGraphFactory Graphs => graphs;

        public Task<RecommendationResult> RecommendAsync(string runId, EventConfig? with = null, bool force = false) =>
            new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System)
                .RunAsync(new RecommendationRequest(with ?? config, store, graphs, prepared, runId, Force: force));

        public async Task<byte[]> ReadAsync(RecommendationResult result, string name)
        {
            Assert.True(store.TryGetPath(result.Manifest.Outputs.Single(o => o.Name == name).Uri, out var path));
            await using var stream = await store.OpenReadAsync(path);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    /// <summary>Steps 1 to 3 on the inputs (the sample, or a generated show), and for the learned ranker a trained, promoted model.</summary>
    private async Task<Show> ShowAsync(EventConfig config, string inputs, bool learned)
    {
        var store = ArtifactStoreLocator.Open(_temp.Combine("store"));
        var graphs = new SqliteAgendaGraphFactory(_temp.Combine("graph"));
        var prepared = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config, ArtifactStoreLocator.Open(inputs), store, "r0"));
        await new GraphPreparationStep(NullLogger<GraphPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new GraphPreparationRequest(config, prepared.ManifestUri, store, graphs, "r0"));
        await new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new EmbeddingRequest(config, store, graphs, new SessionEmbedderProvider(store, null), "r0"));
        if (learned)
        {
            var scratch = ArtifactStoreLocator.Open(_temp.Combine("scratch"));
            var training = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
                .RunAsync(new DataPreparationRequest(config.WithAllPastVisitors(), ArtifactStoreLocator.Open(inputs), scratch, "training"));
            var data = await RankingDataset.FromPreparationAsync(config, scratch, training.Manifest, new SessionEmbedderProvider(store, null),
                CancellationToken.None);
            var registry = new RankingModelRegistry(store, config.Event.Name);
            var outcome = await new RankingModelTrainer(TimeProvider.System).TrainAsync(config, data, registry, CancellationToken.None);
            if (!outcome.Decision.Promoted) await registry.PromoteAsync(outcome.Candidate.Version, DateTimeOffset.UtcNow, CancellationToken.None);
        }
        return new Show(config, store, graphs, prepared.ManifestUri);
    }

    private string Generate(EventConfig config, int visitors)
    {
        var folder = _temp.Combine($"show-{visitors}");
        ShowDataGenerator.Generate(config, new GenerationOptions(visitors, 7), folder, CancellationToken.None);
        return folder;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task The_exports_are_byte_identical_in_one_shard_in_shards_of_7_and_in_default_shards(bool generated, bool learned)
    {
        var ranking = $"ranking: {{ use_learned_model: {(learned ? "true" : "false")} }}";
        // With reasons in the CSV too: each visitor's reasons must not depend on the shard they fall in either.
        var config = Config("vet_lva", ranking, "export_reasons: true");
        var show = await ShowAsync(config, generated ? Generate(config, 700) : Repository.Sample("vet_lva"), learned);

        var whole = await show.RecommendAsync("whole", Config("vet_lva", ranking, "export_reasons: true", "shard_size: 1000000"));
        var sevens = await show.RecommendAsync("sevens", Config("vet_lva", ranking, "export_reasons: true", "shard_size: 7"));
        var standard = await show.RecommendAsync("default", config);

        var visitors = whole.Metadata.Counts["visitors_processed"];
        Assert.True(visitors >= 100, $"{visitors} visitors");
        Assert.Equal(1, whole.Metadata.Sharding.Shards);
        Assert.InRange(sevens.Metadata.Sharding.Shards, (int)Math.Ceiling(visitors / 7.0), (int)visitors);
        Assert.Equal(RecommendationSettings.DefaultShardSize, standard.Metadata.Sharding.ShardSize);
        Assert.StartsWith(learned ? RankingMethods.LearnedRanker : RankingMethods.ReferenceHeuristic, whole.Metadata.Ranker);
        // No visitor ran out of a cut candidate list: the agendas are those of the uncut lists.
        Assert.Equal(0, whole.Metadata.Sharding.TruncatedListsExhausted);
        Assert.InRange(whole.Metadata.Sharding.DeepestCandidateRead, config.Recommendation.MaxRecommendations,
            whole.Metadata.Sharding.CandidateDepth);
        foreach (var name in Exports)
        {
            var expected = await show.ReadAsync(whole, name);
            Assert.Equal(expected, await show.ReadAsync(sevens, name));
            Assert.Equal(expected, await show.ReadAsync(standard, name));
        }
        Assert.Equal(whole.Metadata.Counts, sevens.Metadata.Counts);
        Assert.Equal(whole.Metadata.Strategies, standard.Metadata.Strategies);
        using var json = JsonDocument.Parse(await show.ReadAsync(whole, RecommendationStep.RecommendationsJson));
        var reasons = json.RootElement.GetProperty("recommendations").EnumerateObject()
            .SelectMany(v => v.Value.GetProperty("filtered_recommendations").EnumerateArray()).Select(i => i.GetProperty("reason").GetString())
            .ToList();
        Assert.Equal(Rows(await show.ReadAsync(whole, RecommendationStep.RecommendationsCsv)), reasons.Count);
        Assert.All(reasons, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    [Fact]
    public async Task On_a_generated_show_reasons_name_sessions_the_visitor_attended_and_streams_of_the_session()
    {
        var config = Config("vet_lva", "ranking: { use_learned_model: false }", "export_reasons: true");
        var show = await ShowAsync(config, Generate(config, 600), learned: false);
        var result = await show.RecommendAsync("reasons");

        // The truth, from the graph: the titles of the past sessions each returning visitor's past selves attended.
        var attendedTitles = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await using (var graph = await show.Graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev")))
        {
            var titles = (await graph.ReadSessionsAsync(SessionYear.Past)).GroupBy(s => s.SessionId)
                .ToDictionary(g => g.Key, g => g.First().Properties.GetValueOrDefault("title") ?? "", StringComparer.Ordinal);
            var attended = new List<(VisitorKind Kind, AttendanceLink Link)>();
            foreach (var kind in new[] { VisitorKind.PastMain, VisitorKind.PastSecondary })
                attended.AddRange((await graph.ReadAttendedSessionsAsync(kind)).Select(l => (kind, l)));
            var byPastSelf = attended.ToLookup(a => (a.Kind, a.Link.BadgeId), a => titles.GetValueOrDefault(a.Link.SessionId, "").Trim());
            foreach (var link in await graph.ReadSameVisitorsAsync())
            {
                if (!attendedTitles.TryGetValue(link.BadgeId, out var set)) attendedTitles[link.BadgeId] = set = new(StringComparer.Ordinal);
                set.UnionWith(byPastSelf[(link.PastKind, link.PastBadgeId)]);
            }
        }

        using var json = JsonDocument.Parse(await show.ReadAsync(result, RecommendationStep.RecommendationsJson));
        var (attendedReasons, interestReasons, similarReasons) = (0, 0, 0);
        foreach (var visitor in json.RootElement.GetProperty("recommendations").EnumerateObject())
        {
            var strategy = visitor.Value.GetProperty("metadata").GetProperty("generation_strategy").GetString();
            foreach (var item in visitor.Value.GetProperty("filtered_recommendations").EnumerateArray())
            {
                var reason = item.GetProperty("reason").GetString()!;
                if (reason.StartsWith("you attended \"", StringComparison.Ordinal))
                {
                    attendedReasons++;
                    Assert.Equal(GenerationStrategies.ReturningPastSessions, strategy);
                    var title = reason["you attended \"".Length..reason.LastIndexOf("\" at a past show", StringComparison.Ordinal)];
                    Assert.Contains(title, attendedTitles[visitor.Name]);
                }
                else if (reason.StartsWith("matches your interest in ", StringComparison.Ordinal))
                {
                    interestReasons++;
                    Assert.Contains(reason["matches your interest in ".Length..], item.GetProperty("stream").GetString()!.Split(';'));
                }
                else if (reason.StartsWith("popular with visitors like you", StringComparison.Ordinal))
                {
                    similarReasons++;
                    Assert.EndsWith("_similar_visitors", strategy);
                }
                else Assert.Matches("^(.+ is relevant to your job role|close to \".+\", popular at past shows|popular at past shows)$", reason);
            }
        }
        // Returning visitors with history get their own sessions named; the other signals occur too.
        Assert.True(result.Metadata.Strategies[GenerationStrategies.ReturningPastSessions] > 0);
        Assert.True(attendedReasons > 0 && interestReasons > 0 && similarReasons > 0, $"{attendedReasons}, {interestReasons}, {similarReasons}");
        var header = Encoding.UTF8.GetString(await show.ReadAsync(result, RecommendationStep.RecommendationsCsv)).Split('\n')[0];
        Assert.EndsWith(",overlapping_sessions,reason", header);
    }

    /// <summary>Data rows of a CSV export (no session text holds a line break).</summary>
    private static int Rows(byte[] csv) => Encoding.UTF8.GetString(csv).TrimEnd('\n').Split('\n').Length - 1;

    [Fact]
    public async Task A_run_with_a_few_new_visitors_reuses_the_unchanged_shards_and_gives_what_a_forced_run_gives()
    {
        var config = Config("vet_lva", "ranking: { use_learned_model: false }", "shard_size: 25");
        var show = await ShowAsync(config, Repository.Sample("vet_lva"), learned: false);
        var first = await show.RecommendAsync("week1");
        Assert.Equal(0, first.ShardsReused);

        // Three new registrations: copies of existing visitors under new badge ids.
        await using (var graph = await show.Graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev")))
        {
            var existing = await graph.ReadVisitorsAsync(VisitorKind.ThisYear);
            var added = existing.Take(3).Select((v, i) => new VisitorNode($"ZZNEW{i}", v.Properties)).ToList();
            await graph.UpsertVisitorsAsync(VisitorKind.ThisYear, added, GraphWriteMode.Incremental);
        }
        var second = await show.RecommendAsync("week2");
        var forced = await show.RecommendAsync("week2-forced", force: true);

        var shards = second.Metadata.Sharding.Shards;
        Assert.Equal(first.Metadata.Sharding.Shards, shards);
        Assert.True(shards >= 6, $"{shards} shards");
        // Only the shards the three new visitors fell into are scored again.
        Assert.InRange(second.ShardsReused, shards - 3, shards - 1);
        Assert.Equal(0, forced.ShardsReused);
        Assert.Equal(first.Metadata.Counts["visitors_processed"] + 3, second.Metadata.Counts["visitors_processed"]);
        foreach (var name in Exports) Assert.Equal(await show.ReadAsync(forced, name), await show.ReadAsync(second, name));
    }

    [Fact]
    public async Task A_change_in_a_column_scoring_never_reads_reuses_every_shard_and_one_it_reads_scores_its_shard_again()
    {
        var config = Config("vet_lva", "ranking: { use_learned_model: false }", "shard_size: 25");
        var show = await ShowAsync(config, Repository.Sample("vet_lva"), learned: false);
        var first = await show.RecommendAsync("week1");

        // Every visitor's phone number and registration date change: nothing a shard holds.
        await using (var graph = await show.Graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev")))
        {
            var existing = await graph.ReadVisitorsAsync(VisitorKind.ThisYear);
            var changed = existing.Select(v => new VisitorNode(v.BadgeId,
                new Dictionary<string, string>(v.Properties) { ["Mobile"] = "+44 7700 000000", ["RegistrationDate"] = "2025-01-01 00:00:00" }))
                .ToList();
            await graph.UpsertVisitorsAsync(VisitorKind.ThisYear, changed, GraphWriteMode.Full);
        }
        var second = await show.RecommendAsync("week2");
        Assert.Equal(second.Metadata.Sharding.Shards, second.ShardsReused);

        // One visitor's job role changes: the business rules and the similarity read it.
        await using (var graph = await show.Graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev")))
        {
            var visitor = (await graph.ReadVisitorsAsync(VisitorKind.ThisYear)).First(v => v.Properties.GetValueOrDefault("job_role") != "Vet Nurse");
            await graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
                [new VisitorNode(visitor.BadgeId, new Dictionary<string, string>(visitor.Properties) { ["job_role"] = "Vet Nurse" })],
                GraphWriteMode.Full);
        }
        var third = await show.RecommendAsync("week3");
        var forced = await show.RecommendAsync("week3-forced", force: true);

        Assert.Equal(third.Metadata.Sharding.Shards - 1, third.ShardsReused);
        foreach (var name in Exports)
        {
            Assert.Equal(await show.ReadAsync(first, name), await show.ReadAsync(second, name));
            Assert.Equal(await show.ReadAsync(forced, name), await show.ReadAsync(third, name));
        }
    }

    [Fact]
    public async Task The_shard_cache_keeps_what_the_last_two_runs_used_and_deletes_the_rest()
    {
        var config = Config("vet_lva", "ranking: { use_learned_model: false }", "shard_size: 25");
        var show = await ShowAsync(config, Repository.Sample("vet_lva"), learned: false);
        async Task<HashSet<string>> CachedAsync()
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var entry in show.Store.ListAsync("reuse/vet_lva/recommendation-shards"))
                if (entry.Path.Value.EndsWith(".bin", StringComparison.Ordinal)) names.Add(Path.GetFileName(entry.Path.Value));
            return names;
        }

        var first = await show.RecommendAsync("week1");
        var afterFirst = await CachedAsync();
        Assert.Equal(first.Metadata.Sharding.Shards, afterFirst.Count);
        await using (var graph = await show.Graphs.OpenAsync(GraphPreparationStep.Identity(config, "dev")))
        {
            var existing = await graph.ReadVisitorsAsync(VisitorKind.ThisYear);
            await graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
                existing.Take(3).Select((v, i) => new VisitorNode($"ZZNEW{i}", v.Properties)).ToList(), GraphWriteMode.Incremental);
        }
        var second = await show.RecommendAsync("week2");
        var afterSecond = await CachedAsync();
        // Both runs are kept: the first run's shards that changed are still there.
        Assert.Superset(afterFirst, afterSecond);
        Assert.True(afterSecond.Count > second.Metadata.Sharding.Shards);

        var third = await show.RecommendAsync("week3");
        var afterThird = await CachedAsync();
        // Nothing changed since week 2: every shard reused, and week 1's replaced shards are gone.
        Assert.Equal(third.Metadata.Sharding.Shards, third.ShardsReused);
        Assert.Equal(third.Metadata.Sharding.Shards, afterThird.Count);
        Assert.Subset(afterSecond, afterThird);
        Assert.NotEmpty(afterFirst.Except(afterThird));
    }

    [Fact]
    public async Task A_failed_graph_write_back_publishes_no_export_and_no_manifest_while_the_exports_render_beside_it()
    {
        var config = Config("vet_lva", "ranking: { use_learned_model: false }");
        var show = await ShowAsync(config, Repository.Sample("vet_lva"), learned: false);
        var failing = new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System)
            .RunAsync(new RecommendationRequest(config, show.Store, new FailingWriteBackGraphs(show.Graphs), show.Prepared, "broken"));

        var error = await Assert.ThrowsAsync<IOException>(() => failing);
        Assert.Equal(FailingWriteBack.Message, error.Message);
        var written = new List<string>();
        await foreach (var entry in show.Store.ListAsync("runs/vet_lva/broken")) written.Add(entry.Path.Value);
        // The plan and the shards wrote their parts; nothing beside them was published.
        Assert.Contains(written, path => path.Contains("/recommendations/parts/candidates/", StringComparison.Ordinal));
        Assert.All(written, path => Assert.Contains("/recommendations/parts/", path, StringComparison.Ordinal));

        // The same request on the real graph publishes every export and the manifest.
        var fine = await show.RecommendAsync("fine");
        foreach (var name in Exports) Assert.NotEmpty(await show.ReadAsync(fine, name));
    }

    private sealed class FailingWriteBackGraphs(IAgendaGraphFactory graphs) : IAgendaGraphFactory
    {
        public async Task<IAgendaGraph> OpenAsync(GraphIdentity identity, CancellationToken cancellationToken = default) =>
            FailingWriteBack.Wrap(await graphs.OpenAsync(identity, cancellationToken));
    }

    /// <summary>The real graph, except that storing recommendations fails (after a pause, so the exports are rendering).</summary>
    public class FailingWriteBack : DispatchProxy
    {
        public const string Message = "the graph went away during the write-back";
        private IAgendaGraph _inner = null!;

        public static IAgendaGraph Wrap(IAgendaGraph inner)
        {
            var proxy = Create<IAgendaGraph, FailingWriteBack>();
            ((FailingWriteBack)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IAgendaGraph.StoreRecommendationsAsync))
                return Task.Delay(200).ContinueWith<GraphWriteStats>(_ => throw new IOException(Message), TaskScheduler.Default);
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                throw inner;
            }
        }
    }
}
