using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Ranking;

public sealed class RankingModelRegistryTests
{
    private static LearnedRanker TinyModel()
    {
        var random = new Random(1);
        var examples = Enumerable.Range(0, 400).Select(i =>
        {
            var features = Enumerable.Range(0, RankingFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray();
            return new RankingExample((uint)(i / 20), features[0] > 0.7 ? 1f : 0f, features);
        }).ToList();
        return LearnedRanker.Train(examples, new RankerTrainingOptions(5, 4, 0.2, 5, 1));
    }

    private static RankingModelInfo Info(string version, DateTimeOffset at) => new(version, "vet_lva", at, RankingFeatures.SchemaVersion,
        RankingFeatures.Names, "local:test", "hash", "1.0.0+test", new Core.Events.RankingSettings(), 400, new RankingMetrics(0.3, 0.25, 0.4));

    private static EvaluationReport Report() =>
        new("vet_lva", 42, 0.2, 80, 20, 30, 400, RankingFeatures.SchemaVersion, new Dictionary<string, RankingMetrics>());

    [Fact]
    public async Task Versions_are_listed_oldest_first_and_the_pointer_decides_which_loads()
    {
        var store = new InMemoryArtifactStore();
        var registry = new RankingModelRegistry(store, "vet_lva");
        var model = TinyModel();
        var t0 = new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero);
        await registry.SaveAsync(Info("v2", t0.AddDays(7)), model, Report(), CancellationToken.None);
        await registry.SaveAsync(Info("v1", t0), model, Report(), CancellationToken.None);
        // An interrupted save (no model.json) is not a version.
        await store.PutAsync(registry.Folder("v3").Combine(RankingModelRegistry.ModelFile), new MemoryStream([1, 2, 3]));

        Assert.Null(await registry.LoadCurrentAsync(CancellationToken.None));
        Assert.Equal(["v1", "v2"], (await registry.ListAsync(CancellationToken.None)).Select(i => i.Version));

        await registry.PromoteAsync("v2", t0.AddDays(7), CancellationToken.None);
        var current = await registry.LoadCurrentAsync(CancellationToken.None);
        Assert.Equal("v2", current!.Info.Version);
        var rows = Enumerable.Range(0, RankingFeatures.Count * 3).Select(i => i / 40f).ToArray();
        Assert.Equal(model.Score(rows), current.Model.Score(rows));

        // A rollback is a pointer change.
        await registry.PromoteAsync("v1", t0.AddDays(8), CancellationToken.None);
        Assert.Equal("v1", (await registry.CurrentAsync(CancellationToken.None))!.Version);
        await Assert.ThrowsAsync<PipelineInputException>(() => registry.PromoteAsync("v3", t0, CancellationToken.None));
        await Assert.ThrowsAsync<PipelineInputException>(() => registry.PromoteAsync("../other", t0, CancellationToken.None));
    }
}
