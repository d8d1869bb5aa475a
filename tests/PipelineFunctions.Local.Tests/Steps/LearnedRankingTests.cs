using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>The learned ranker on generated shows and on the sample: quality, registry, promotion, and step 4 using it.</summary>
public sealed class LearnedRankingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static EventConfig Config(string eventName, string? ranking = null)
    {
        var path = Path.Combine(Repository.Root, "config", "events", eventName + ".yaml");
        if (ranking is null) return EventConfigLoader.LoadFile(path);
        var yaml = File.ReadAllText(path).Replace("\nrecommendation:\n", $"\nrecommendation:\n  ranking: {ranking}\n");
        return EventConfigLoader.Parse(yaml, path);
    }

    /// <summary>
    /// What `pa train` learns from: step 1 on the inputs keeping every past visitor, sessions embedded into
    /// <paramref name="store"/>'s model.
    /// </summary>
    private async Task<RankingDataset> DatasetAsync(EventConfig config, string inputs, IArtifactStore store)
    {
        var scratch = ArtifactStoreLocator.Open(_temp.Combine("scratch-" + Guid.NewGuid().ToString("N")));
        var prepared = await new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System)
            .RunAsync(new DataPreparationRequest(config.WithAllPastVisitors(), ArtifactStoreLocator.Open(inputs), scratch, "training"));
        return await RankingDataset.FromPreparationAsync(config, scratch, prepared.Manifest, new SessionEmbedderProvider(store, null),
            CancellationToken.None);
    }

    private string Generate(EventConfig config, int visitors, int seed)
    {
        var folder = _temp.Combine($"{config.Event.Name}-{visitors}-{seed}");
        ShowDataGenerator.Generate(config, new GenerationOptions(visitors, seed), folder, CancellationToken.None);
        return folder;
    }

    [Fact]
    public async Task The_dataset_links_past_main_visitors_to_their_past_secondary_selves_as_step_1_matched_them()
    {
        var config = Config("vet_lva");
        var data = await DatasetAsync(config, Generate(config, 600, 3), ArtifactStoreLocator.Open(_temp.Combine("store")));

        var main = data.Knowledge.PastVisitors[Core.Graph.VisitorKind.PastMain].ToDictionary(v => v.BadgeId);
        var secondary = data.Knowledge.PastVisitors[Core.Graph.VisitorKind.PastSecondary].ToDictionary(v => v.BadgeId);
        Assert.True(data.SecondarySelves.Count >= 20, $"only {data.SecondarySelves.Count} people linked to both past shows");
        // The same person: the same job role at both shows (the generator keeps a person's persona; a few answers are missing).
        string? Role(Core.Graph.VisitorNode visitor) => visitor.Properties.GetValueOrDefault(config.Registration.JobRoleField);
        var sameRole = data.SecondarySelves.Count(p => Role(main[p.Key]) == Role(secondary[p.Value]));
        Assert.True(sameRole >= 0.9 * data.SecondarySelves.Count, $"{sameRole} of {data.SecondarySelves.Count} linked people keep their job role");
    }

    [Theory]
    [InlineData("vet_lva", 1)]
    [InlineData("vet_lva", 2)]
    [InlineData("ecomm", 1)]
    public async Task On_generated_shows_the_learned_ranker_beats_popularity_by_a_fifth_and_the_reference_heuristic(string eventName, int seed)
    {
        var config = Config(eventName);
        var data = await DatasetAsync(config, Generate(config, 2500, seed), ArtifactStoreLocator.Open(_temp.Combine("store")));
        var report = RankingExperiment.Run(config, data).Report;

        var ranker = report.Methods[RankingMethods.LearnedRanker].NdcgAt10;
        var popularity = report.Methods[RankingMethods.Popularity].NdcgAt10;
        var heuristic = report.Methods[RankingMethods.ReferenceHeuristic].NdcgAt10;
        var random = report.Methods[RankingMethods.Random].NdcgAt10;
        Assert.True(ranker >= 1.2 * popularity, $"learned ranker NDCG@10 {ranker} vs popularity {popularity}");
        Assert.True(ranker > heuristic, $"learned ranker NDCG@10 {ranker} vs reference heuristic {heuristic}");
        Assert.True(popularity > random, $"popularity {popularity} vs random {random}");
        Assert.InRange(report.HoldoutVisitors, (int)(0.19 * (report.HoldoutVisitors + report.TrainingVisitors)),
            (int)(0.21 * (report.HoldoutVisitors + report.TrainingVisitors)) + 1);
        Assert.True(report.Methods[RankingMethods.LearnedRanker].Coverage > report.Methods[RankingMethods.Popularity].Coverage);
    }

    [Fact]
    public async Task The_same_data_and_seed_give_the_same_evaluation()
    {
        var config = Config("vet_lva");
        var store = ArtifactStoreLocator.Open(_temp.Combine("store"));
        var first = RankingExperiment.Run(config, await DatasetAsync(config, Repository.Sample("vet_lva"), store)).Report;
        var second = RankingExperiment.Run(config, await DatasetAsync(config, Repository.Sample("vet_lva"), store)).Report;
        Assert.Equal(PipelineJson.Serialize(first), PipelineJson.Serialize(second));

        var otherSeed = RankingExperiment.Run(Config("vet_lva", "{ seed: 7 }"),
            await DatasetAsync(config, Repository.Sample("vet_lva"), store)).Report;
        Assert.NotEqual(PipelineJson.Serialize(first.Methods), PipelineJson.Serialize(otherSeed.Methods));
    }

    [Fact]
    public async Task Retraining_promotes_only_a_model_that_beats_the_current_one_by_the_margin_and_records_both_scores()
    {
        var config = Config("vet_lva");
        var inputs = Generate(config, 1500, seed: 3);
        var store = ArtifactStoreLocator.Open(_temp.Combine("store"));
        var registry = new RankingModelRegistry(store, config.Event.Name);
        var trainer = new RankingModelTrainer(TimeProvider.System);

        var first = await trainer.TrainAsync(config, await DatasetAsync(config, inputs, store), registry, CancellationToken.None);
        Assert.True(first.Decision.Promoted, first.Decision.Reason);
        Assert.Null(first.Decision.Current);
        Assert.Equal(first.Candidate.Version, (await registry.CurrentAsync(CancellationToken.None))!.Version);

        // Needing twice the current model's NDCG, the same data cannot be promoted: the first model stays.
        var strict = Config("vet_lva", "{ promotion_margin: 1.0 }");
        var second = await trainer.TrainAsync(strict, await DatasetAsync(strict, inputs, store), registry, CancellationToken.None);
        Assert.False(second.Decision.Promoted);
        Assert.Equal(first.Candidate.Version, second.Decision.Current);
        Assert.NotNull(second.Decision.CurrentNdcgAt10);
        Assert.Equal(second.Decision.CandidateNdcgAt10, second.Decision.CurrentNdcgAt10!.Value, 3);
        Assert.Contains("current model stays", second.Decision.Reason);
        Assert.Equal(first.Candidate.Version, (await registry.CurrentAsync(CancellationToken.None))!.Version);

        var versions = await registry.ListAsync(CancellationToken.None);
        Assert.Equal([first.Candidate.Version, second.Candidate.Version], versions.Select(v => v.Version));
        Assert.NotEqual(first.Candidate.Version, second.Candidate.Version);
        var recorded = await registry.DecisionAsync(second.Candidate.Version, CancellationToken.None);
        Assert.Equal(second.Decision, recorded);
        Assert.Equal(first.Candidate.TrainingDataHash, second.Candidate.TrainingDataHash);
        Assert.Equal(CodeVersion.Current, second.Candidate.CodeVersion);
        Assert.True(await store.ExistsAsync(registry.Folder(second.Candidate.Version).Combine(RankingModelRegistry.EvaluationFile)));
    }

    private sealed class SamplePipeline : IDisposable
    {
        public readonly PipelineFixture Fixture = new();
        public Uri Prepared = null!;

        public async Task RunStepsOneToThreeAsync()
        {
            var prepared = await Fixture.PrepareAsync();
            await Fixture.GraphAsync(prepared.ManifestUri);
            await new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
                .RunAsync(new EmbeddingRequest(Fixture.Config, Fixture.Store, Fixture.Graphs, new SessionEmbedderProvider(Fixture.Store, null),
                    "r1"));
            Prepared = prepared.ManifestUri;
        }

        public Task<RecommendationResult> RecommendAsync(string runId, EventConfig? config = null) =>
            new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System)
                .RunAsync(new RecommendationRequest(config ?? Fixture.Config, Fixture.Store, Fixture.Graphs, Prepared, runId));

        public async Task<byte[]> ReadAsync(RecommendationResult result, string name)
        {
            Assert.True(Fixture.Store.TryGetPath(result.Manifest.Outputs.Single(o => o.Name == name).Uri, out var path));
            await using var stream = await Fixture.Store.OpenReadAsync(path);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }

        public void Dispose() => Fixture.Dispose();
    }

    private async Task<RankingModelInfo> TrainAndPromoteAsync(SamplePipeline pipeline)
    {
        var registry = new RankingModelRegistry(pipeline.Fixture.Store, "vet_lva");
        var outcome = await new RankingModelTrainer(TimeProvider.System)
            .TrainAsync(pipeline.Fixture.Config, await DatasetAsync(pipeline.Fixture.Config, Repository.Sample("vet_lva"), pipeline.Fixture.Store),
                registry, CancellationToken.None);
        if (!outcome.Decision.Promoted) await registry.PromoteAsync(outcome.Candidate.Version, DateTimeOffset.UtcNow, CancellationToken.None);
        return outcome.Candidate;
    }

    [Fact]
    public async Task Step_4_ranks_with_the_current_model_records_it_as_an_input_and_gives_byte_identical_exports()
    {
        using var pipeline = new SamplePipeline();
        await pipeline.RunStepsOneToThreeAsync();
        var model = await TrainAndPromoteAsync(pipeline);

        var first = await pipeline.RecommendAsync("r1");
        Assert.Equal($"learned_ranker:{model.Version}", first.Metadata.Ranker);
        Assert.Null(first.Metadata.RankerNote);
        Assert.True(first.Metadata.Counts["visitors_with_recommendations"] >= 110);
        var modelInput = first.Manifest.Inputs.Single(i => i.Name == $"ranking_model:{model.Version}");
        Assert.True(pipeline.Fixture.Store.TryGetPath(modelInput.Uri, out var modelPath));
        Assert.Equal(await pipeline.Fixture.Store.GetContentHashAsync(modelPath), modelInput.Sha256);

        var second = await pipeline.RecommendAsync("r2");
        foreach (var name in new[]
                 {
                     RecommendationStep.RecommendationsJson, RecommendationStep.RecommendationsCsv, RecommendationStep.ControlJson,
                     RecommendationStep.ControlCsv,
                 })
            Assert.Equal(await pipeline.ReadAsync(first, name), await pipeline.ReadAsync(second, name));

        // The ranking differs from the heuristic's: the model is really used.
        var heuristic = await pipeline.RecommendAsync("r3", Config("vet_lva", "{ use_learned_model: false }"));
        Assert.Equal(RankingMethods.ReferenceHeuristic, heuristic.Metadata.Ranker);
        Assert.NotEqual(await pipeline.ReadAsync(first, RecommendationStep.RecommendationsCsv),
            await pipeline.ReadAsync(heuristic, RecommendationStep.RecommendationsCsv));
    }

    [Fact]
    public async Task A_model_trained_on_other_embeddings_is_not_used_and_the_run_says_why()
    {
        using var pipeline = new SamplePipeline();
        await pipeline.RunStepsOneToThreeAsync();
        var model = await TrainAndPromoteAsync(pipeline);
        var registry = new RankingModelRegistry(pipeline.Fixture.Store, "vet_lva");
        var current = await registry.LoadCurrentAsync(CancellationToken.None);
        var foreign = model with { Version = model.Version + "-foreign", EmbeddingModel = "azure-openai:text-embedding-3-small:256" };
        await registry.SaveAsync(foreign, current!.Model,
            new EvaluationReport("vet_lva", 42, 0.2, 1, 1, 1, 1, RankingFeatures.SchemaVersion, new Dictionary<string, RankingMetrics>()),
            CancellationToken.None);
        await registry.PromoteAsync(foreign.Version, DateTimeOffset.UtcNow, CancellationToken.None);

        var result = await pipeline.RecommendAsync("r1");
        Assert.Equal(RankingMethods.ReferenceHeuristic, result.Metadata.Ranker);
        Assert.Contains("azure-openai:text-embedding-3-small:256", result.Metadata.RankerNote);
        Assert.True(result.Metadata.Counts["visitors_with_recommendations"] >= 110);
    }

    [Theory]
    [InlineData("{ \"version\": ")]
    [InlineData("{ \"version\": \"19990101T000000Z-missing\", \"promotedAt\": \"2026-01-01T00:00:00Z\" }")]
    public async Task A_broken_current_pointer_fails_step_4_naming_the_file_and_publishes_nothing(string pointer)
    {
        using var pipeline = new SamplePipeline();
        await pipeline.RunStepsOneToThreeAsync();
        var registry = new RankingModelRegistry(pipeline.Fixture.Store, "vet_lva");
        await pipeline.Fixture.Store.PutAsync(registry.CurrentPointer, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(pointer)));

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => pipeline.RecommendAsync("r1"));
        Assert.Contains("models/vet_lva/current.json", error.Message);
        var published = new List<ArtifactEntry>();
        await foreach (var entry in pipeline.Fixture.Store.ListAsync("runs/vet_lva/r1/recommendations/")) published.Add(entry);
        Assert.Empty(published);
    }
}
