using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 3 as the orchestration runs it, with the real local embedder: a plan that fits the model once and writes the
/// stale sessions in batches, one activity per batch (at most embeddings.max_batches_in_flight at once), and a fan-in.
/// </summary>
public sealed class EmbeddingFanOutTests : IDisposable
{
    private readonly List<PipelineFixture> _fixtures = [];

    public void Dispose() => _fixtures.ForEach(f => f.Dispose());

    /// <summary>Steps 1-3 of the sample through the activities, in a store and graph of their own.</summary>
    private async Task<Run> RunAsync(params (string Key, string Value)[] parameters)
    {
        var fixture = new PipelineFixture();
        _fixtures.Add(fixture);
        var driver = new ActivityDriver(fixture.Services());
        var request = new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva"), Parameters: parameters.ToDictionary(p => p.Key, p => p.Value));
        var graphInput = await driver.PrepareAsync(request, "r1");
        var (graphed, _, _) = await driver.RunStepAsync(graphInput);
        var input = ActivityDriver.Next(graphInput, graphed);
        var (outcome, plan, parts) = await driver.RunStepAsync(input);
        return new Run(fixture, driver, input, outcome, plan, parts);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("100")] // the default, as in the reference
    public async Task Every_batch_size_stores_the_vectors_of_one_unbatched_call(string batchSize)
    {
        // batch_size 2048 is more than the sample's sessions: one batch, one call of the generator with every text.
        var unbatched = await RunAsync(("embeddings.batch_size", "2048"));
        Assert.Equal([1], unbatched.Plan.Waves);

        var batched = await RunAsync(("embeddings.batch_size", batchSize));

        var sessions = batched.Outcome.Metrics["sessions"];
        Assert.Equal([(int)Math.Ceiling(sessions / double.Parse(batchSize))], batched.Plan.Waves);
        Assert.Equal(sessions, batched.Parts.Sum(p => p.Counts["embedded"]));
        Assert.Equal(sessions, batched.Outcome.Metrics["vectors_stored"]);
        Assert.Equal(await VectorsAsync(unbatched), await VectorsAsync(batched));
        Assert.All(batched.Driver.Messages, m => Assert.True(m.Bytes < RunStatusLimits.ActivityMessageBytes, $"{m.Activity}: {m.Bytes} bytes"));
    }

    [Fact]
    public async Task A_batch_that_runs_twice_stores_nothing_twice()
    {
        var run = await RunAsync(("embeddings.batch_size", "7"));
        var before = await VectorsAsync(run);

        // A retry after the batch finished: its counts come back, nothing is embedded.
        Assert.True((await run.Driver.PartAsync(run.Input, run.Plan, 0, 3)).Reused);

        // A retry after the vectors were stored but before the counts were written: embedded again, and the keyed
        // upsert finds every vector already there.
        await run.Fixture.Store.DeleteAsync(ArtifactPath.Parse("runs/vet_lva/r1/embeddings/parts/batches/00003.result.json"));
        var again = await run.Driver.PartAsync(run.Input, run.Plan, 0, 3);
        Assert.False(again.Reused);
        Assert.Equal(7, again.Counts["embedded"]);
        Assert.Equal(0, again.Counts["vectors_stored"]);
        Assert.Equal(before, await VectorsAsync(run));
    }

    [Fact]
    public async Task The_plan_caps_the_batches_in_flight_at_the_setting()
    {
        var run = await RunAsync(("embeddings.batch_size", "50"), ("embeddings.max_batches_in_flight", "2"));

        Assert.Equal("batches", run.Plan.Unit);
        Assert.Equal(2, run.Plan.MaxInFlight);
        Assert.Equal(2, run.Driver.MostPartsInFlight);
        Assert.Equal(run.Plan.TotalParts, run.Parts.Count);

        var withDefaults = run.Input.Run with { Request = run.Input.Run.Request with { Parameters = null } };
        var defaults = await run.Driver.BeginAsync(run.Input with { Run = withDefaults, Plan = run.Input.Plan with { Force = true } });
        Assert.Equal(4, defaults.MaxInFlight);
    }

    [Fact]
    public async Task With_no_stale_session_there_is_no_batch_and_the_fan_in_still_publishes_the_counts()
    {
        var first = await RunAsync();
        var sessions = first.Outcome.Metrics["sessions"];

        var (outcome, plan, parts) = await first.Driver.RunStepAsync(first.Input with { Plan = first.Input.Plan with { Force = true } });

        Assert.Equal(0, plan.TotalParts);
        Assert.Empty(parts);
        Assert.Equal(StepStatuses.Succeeded, outcome.Status);
        Assert.Equal(sessions, outcome.Metrics["unchanged_kept"]);
        Assert.Equal(0, outcome.Metrics["embedded"]);
        Assert.Equal(0, outcome.Metrics["vectors_stored"]);
        Assert.True(first.Fixture.Store.TryGetPath(outcome.ManifestUri!, out var manifest));
        Assert.Equal(outcome.ManifestSha256, await first.Fixture.Store.GetContentHashAsync(manifest));
    }

    /// <summary>Every stored vector with its session, hash and model, as JSON.</summary>
    private static async Task<string> VectorsAsync(Run run)
    {
        await using var graph = await run.Fixture.Graphs.OpenAsync(run.Fixture.Identity());
        var vectors = new List<SessionEmbedding>();
        foreach (var year in Enum.GetValues<SessionYear>()) vectors.AddRange(await graph.ReadEmbeddingsAsync(year));
        Assert.Equal(run.Outcome.Metrics["sessions"], vectors.Count);
        return JsonSerializer.Serialize(vectors);
    }

    private sealed record Run(PipelineFixture Fixture, ActivityDriver Driver, StepActivityInput Input, StepOutcome Outcome, FanOutPlan Plan,
        List<StepPartResult> Parts);
}
