using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Core.Steps.Embeddings;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>Step 4 with the reference heuristic on the committed sample, after steps 1 to 3 with the real local embedder.</summary>
public sealed class RecommendationStepTests : IDisposable
{
    private readonly PipelineFixture _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    private async Task<Uri> PrepareGraphAndEmbedAsync()
    {
        var prepared = await _pipeline.PrepareAsync();
        await _pipeline.GraphAsync(prepared.ManifestUri);
        await new EmbeddingStep(NullLogger<EmbeddingStep>.Instance, TimeProvider.System)
            .RunAsync(new EmbeddingRequest(_pipeline.Config, _pipeline.Store, _pipeline.Graphs, new SessionEmbedderProvider(_pipeline.Store, null),
                "r1"));
        return prepared.ManifestUri;
    }

    private Task<RecommendationResult> RecommendAsync(Uri prepared, EventConfig? config = null, string runId = "r1", bool? incremental = null) =>
        new RecommendationStep(NullLogger<RecommendationStep>.Instance, TimeProvider.System)
            .RunAsync(new RecommendationRequest(config ?? _pipeline.Config, _pipeline.Store, _pipeline.Graphs, prepared, runId,
                Incremental: incremental));

    private byte[] Read(RecommendationResult result, string name)
    {
        Assert.True(_pipeline.Store.TryGetPath(result.Manifest.Outputs.Single(o => o.Name == name).Uri, out var path));
        using var stream = _pipeline.Store.OpenReadAsync(path).Result;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Every_visitor_gets_an_agenda_within_the_cap_without_clashes_and_the_graph_holds_it()
    {
        var prepared = await PrepareGraphAndEmbedAsync();
        var result = await RecommendAsync(prepared);
        var counts = result.Metadata.Counts;

        Assert.Equal(120, counts["visitors_processed"]);
        Assert.True(counts["visitors_with_recommendations"] >= 110);
        Assert.Equal(Math.Round(counts["visitors_with_recommendations"] * 0.05, MidpointRounding.AwayFromZero), counts["control_group"]);

        using var json = JsonDocument.Parse(Read(result, RecommendationStep.RecommendationsJson));
        using var control = JsonDocument.Parse(Read(result, RecommendationStep.ControlJson));
        var treatment = json.RootElement.GetProperty("recommendations").EnumerateObject().ToList();
        Assert.Equal(counts["visitors_with_recommendations"] - counts["control_group"], treatment.Count);
        Assert.Equal(counts["control_group"], control.RootElement.GetProperty("recommendations").EnumerateObject().Count());
        foreach (var visitor in treatment)
        {
            var items = visitor.Value.GetProperty("filtered_recommendations").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, _pipeline.Config.Recommendation.MaxRecommendations);
            Assert.All(items, i => Assert.Empty(i.GetProperty("overlapping_sessions").EnumerateArray()));
            // The threshold applies before the exponent that returning visitors without history get, as in the reference.
            // The configured embedder's threshold (the shipped config gives the local embedder its own).
            var threshold = _pipeline.Config.SimilarityThreshold();
            var floor = visitor.Value.GetProperty("metadata").GetProperty("generation_strategy").GetString()
                    is GenerationStrategies.ReturningSimilarVisitors or GenerationStrategies.ReturningPopularFallback
                ? Math.Pow(threshold, _pipeline.Config.Recommendation.SimilarityExponent)
                : threshold;
            Assert.All(items, i => Assert.InRange(i.GetProperty("similarity_score").GetDouble(), floor - 1e-6, 1.0));
        }

        await using var graph = await _pipeline.Graphs.OpenAsync(_pipeline.Identity());
        Assert.Equal(counts["recommendations"], (await graph.ReadRecommendationsAsync()).Count);
        var visitors = await graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal(counts["control_group"], visitors.Count(v => v.ControlGroup));
        Assert.Equal(counts["visitors_with_recommendations"], visitors.Count(v => v.HasRecommendation));
    }

    [Fact]
    public async Task Theatre_capacity_holds_and_visitors_who_lose_a_slot_are_backfilled()
    {
        var prepared = await PrepareGraphAndEmbedAsync();
        var tight = EventConfigLoader.Parse(File.ReadAllText(_pipeline.Config.SourcePath).Replace("multiplier: 3.0", "multiplier: 0.05"),
            _pipeline.Config.SourcePath);
        var result = await RecommendAsync(prepared, tight);

        Assert.True(result.Metadata.Counts["capacity_refusals"] > 0);
        Assert.True(result.Metadata.Counts["backfilled_visitors"] > 0);
        var capacity = (await _pipeline.ReadCsvAsync((await Core.Artifacts.ArtifactReader.ReadManifestAsync(_pipeline.Store, prepared, default)),
                DataPreparationOutputNames.Theatres))
            .ToDictionary(t => t["theatre__name"], t => (int)Math.Floor(int.Parse(t["capacity"]) * 0.05));
        var rows = (await _pipeline.ReadCsvAsync(result.Manifest, RecommendationStep.RecommendationsCsv))
            .Concat(await _pipeline.ReadCsvAsync(result.Manifest, RecommendationStep.ControlCsv));
        foreach (var slot in rows.GroupBy(r => (r["session_theatre_name"], r["session_date"], r["session_start_time"])))
            if (capacity.TryGetValue(slot.Key.Item1, out var limit))
                Assert.True(slot.Count() <= limit, $"{slot.Key} holds {slot.Count()} visitors, limit {limit}");
    }

    [Fact]
    public async Task The_same_graph_gives_byte_identical_exports_and_an_incremental_run_recommends_for_nobody_new()
    {
        var prepared = await PrepareGraphAndEmbedAsync();
        var first = await RecommendAsync(prepared, runId: "r1");
        var second = await RecommendAsync(prepared, runId: "r1");
        foreach (var name in new[]
                 {
                     RecommendationStep.RecommendationsJson, RecommendationStep.RecommendationsCsv, RecommendationStep.ControlJson,
                     RecommendationStep.ControlCsv,
                 })
            Assert.Equal(Read(first, name), Read(second, name));

        var incremental = await RecommendAsync(prepared, incremental: true);
        Assert.Equal(first.Metadata.Counts["visitors_without_recommendations"], incremental.Metadata.Counts["visitors_processed"]);
    }
}
