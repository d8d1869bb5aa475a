using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Orchestration.Reuse;

/// <summary>
/// Step reuse over the in-memory store: when an earlier outcome is reused, when the step runs again, what is recorded where,
/// and what a step left out of the request reuses.
/// </summary>
public sealed class StepReuseCacheTests
{
    private const string Event = "vet_lva";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

    private readonly InMemoryArtifactStore _store = new();
    private readonly Clock _clock = new();
    private readonly List<string> _ran = [];

    private StepReuseCache Cache => new(_store, _clock);

    [Fact]
    public async Task A_first_run_misses_runs_the_step_and_records_outcome_index_and_nothing_for_the_graph()
    {
        var outcome = await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");

        Assert.Equal(["run-1"], _ran);
        Assert.Equal(StepStatuses.Succeeded, outcome.Status);
        Assert.Equal("fp-a", outcome.Fingerprint);
        Assert.Null(outcome.ReusedFromRunId);
        Assert.Equal(Sha256(_store.Get("runs/vet_lva/run-1/data_preparation/manifest.json")), outcome.ManifestSha256);
        Assert.Equal(["in.csv"], outcome.Inputs.Select(i => i.Name));
        Assert.Equal(["out.parquet"], outcome.Outputs.Select(o => o.Name));
        Assert.Equal(7, outcome.Metrics["rows"]);
        var recorded = JsonSerializer.Deserialize<StepOutcome>(_store.Get("runs/vet_lva/run-1/data_preparation/outcome.json"), PipelineJson.Options);
        Assert.Equal(outcome.Fingerprint, recorded!.Fingerprint);
        Assert.Equal(outcome.ManifestUri, recorded.ManifestUri);
        Assert.Equal("run-1", Text("reuse/vet_lva/data_preparation/fp-a.json"));
        Assert.DoesNotContain(_store.Paths, p => p.Contains("/graph-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_fingerprint_reuses_the_earlier_successful_outcome()
    {
        var first = await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");
        _clock.Advance(TimeSpan.FromHours(1));

        var second = await RunAsync("run-2", PipelineSteps.DataPreparation, "fp-a");

        Assert.Equal(["run-1"], _ran);
        Assert.Equal(StepStatuses.Reused, second.Status);
        Assert.Equal("run-1", second.ReusedFromRunId);
        Assert.Equal(first.ManifestUri, second.ManifestUri);
        Assert.Equal(first.ManifestSha256, second.ManifestSha256);
        Assert.Equal(first.Outputs, second.Outputs);
        Assert.Equal(_clock.GetUtcNow(), second.StartedAt);
        Assert.Equal(_clock.GetUtcNow(), second.FinishedAt);
        Assert.False(_store.Paths.Contains("runs/vet_lva/run-2/data_preparation/outcome.json"), "a reused step records no outcome of its own");
    }

    [Fact]
    public async Task A_different_fingerprint_misses()
    {
        await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");

        var second = await RunAsync("run-2", PipelineSteps.DataPreparation, "fp-b");

        Assert.Equal(["run-1", "run-2"], _ran);
        Assert.Equal(StepStatuses.Succeeded, second.Status);
        Assert.Equal("run-2", Text("reuse/vet_lva/data_preparation/fp-b.json"));
        Assert.Equal("run-1", Text("reuse/vet_lva/data_preparation/fp-a.json"));
    }

    [Fact]
    public async Task Force_runs_the_step_although_it_could_be_reused_and_the_index_then_names_the_new_run()
    {
        await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");

        var forced = await RunAsync("run-2", PipelineSteps.DataPreparation, "fp-a", force: true);

        Assert.Equal(["run-1", "run-2"], _ran);
        Assert.Equal(StepStatuses.Succeeded, forced.Status);
        Assert.Equal("run-2", Text("reuse/vet_lva/data_preparation/fp-a.json"));
    }

    [Fact]
    public async Task A_missing_outcome_is_a_miss()
    {
        await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");
        await _store.DeleteAsync(ArtifactPath.Parse("runs/vet_lva/run-1/data_preparation/outcome.json"));

        var second = await RunAsync("run-2", PipelineSteps.DataPreparation, "fp-a");

        Assert.Equal(["run-1", "run-2"], _ran);
        Assert.Equal(StepStatuses.Succeeded, second.Status);
    }

    [Fact]
    public async Task An_outcome_whose_manifest_changed_or_went_is_a_miss()
    {
        await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");
        _store.Add("runs/vet_lva/run-1/data_preparation/manifest.json", "{}"u8.ToArray());
        await RunAsync("run-2", PipelineSteps.DataPreparation, "fp-a");
        await _store.DeleteAsync(ArtifactPath.Parse("runs/vet_lva/run-2/data_preparation/manifest.json"));

        await RunAsync("run-3", PipelineSteps.DataPreparation, "fp-a");

        Assert.Equal(["run-1", "run-2", "run-3"], _ran);
    }

    [Fact]
    public async Task An_unparseable_outcome_fails_the_step_instead_of_counting_as_a_miss()
    {
        await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");
        _store.Add("runs/vet_lva/run-1/data_preparation/outcome.json", "not json"u8.ToArray());

        await Assert.ThrowsAnyAsync<JsonException>(() => RunAsync("run-2", PipelineSteps.DataPreparation, "fp-a"));
        Assert.Equal(["run-1"], _ran);
    }

    [Fact]
    public async Task A_graph_step_is_reused_while_its_graph_environment_holds_what_it_wrote()
    {
        await RunAsync("run-1", PipelineSteps.GraphPreparation, "fp-g1");
        Assert.Equal("fp-g1", Text("reuse/vet_lva/graph-dev/graph_preparation.json"));

        var second = await RunAsync("run-2", PipelineSteps.GraphPreparation, "fp-g1");

        Assert.Equal(["run-1"], _ran);
        Assert.Equal(StepStatuses.Reused, second.Status);
        Assert.Equal("run-1", second.ReusedFromRunId);
    }

    [Fact]
    public async Task A_graph_step_is_not_reused_once_a_later_run_wrote_over_that_graph()
    {
        await RunAsync("run-1", PipelineSteps.GraphPreparation, "fp-g1");
        await RunAsync("run-2", PipelineSteps.GraphPreparation, "fp-g2");
        Assert.Equal("fp-g2", Text("reuse/vet_lva/graph-dev/graph_preparation.json"));

        var third = await RunAsync("run-3", PipelineSteps.GraphPreparation, "fp-g1");

        Assert.Equal(["run-1", "run-2", "run-3"], _ran);
        Assert.Equal(StepStatuses.Succeeded, third.Status);
        Assert.Equal("fp-g1", Text("reuse/vet_lva/graph-dev/graph_preparation.json"));
    }

    [Fact]
    public async Task A_graph_step_is_not_reused_for_another_graph_environment()
    {
        await RunAsync("run-1", PipelineSteps.GraphPreparation, "fp-g1");

        var other = await RunAsync("run-2", PipelineSteps.GraphPreparation, "fp-g1", environment: "test");

        Assert.Equal(["run-1", "run-2"], _ran);
        Assert.Equal(StepStatuses.Succeeded, other.Status);
        Assert.Equal("fp-g1", Text("reuse/vet_lva/graph-test/graph_preparation.json"));
    }

    [Fact]
    public async Task Running_a_graph_step_forgets_what_the_later_steps_wrote_into_that_graph()
    {
        await RunAsync("run-1", PipelineSteps.Embeddings, "fp-e");
        await RunAsync("run-1", PipelineSteps.Recommendations, "fp-r");
        await RunAsync("run-1", PipelineSteps.Embeddings, "fp-e-test", environment: "test");

        await RunAsync("run-2", PipelineSteps.GraphPreparation, "fp-g");

        Assert.DoesNotContain("reuse/vet_lva/graph-dev/embeddings.json", _store.Paths);
        Assert.DoesNotContain("reuse/vet_lva/graph-dev/recommendations.json", _store.Paths);
        Assert.Equal("fp-e-test", Text("reuse/vet_lva/graph-test/embeddings.json"));
        var embeddings = await RunAsync("run-3", PipelineSteps.Embeddings, "fp-e");
        Assert.Equal(StepStatuses.Succeeded, embeddings.Status);
        Assert.Equal(["run-1", "run-1", "run-1", "run-2", "run-3"], _ran);
    }

    [Fact]
    public async Task A_left_out_step_reuses_the_outcome_of_the_newest_run_that_completed_it()
    {
        await RunAsync("run-a", PipelineSteps.DataPreparation, "fp-1");
        _clock.Advance(TimeSpan.FromHours(1));
        var newest = await RunAsync("run-0", PipelineSteps.DataPreparation, "fp-2");
        _clock.Advance(TimeSpan.FromHours(1));

        var reused = await Cache.ReuseNewestAsync(Event, PipelineSteps.DataPreparation, CancellationToken.None);

        Assert.Equal(StepStatuses.Reused, reused.Status);
        Assert.Equal("run-0", reused.ReusedFromRunId);
        Assert.Equal("fp-2", reused.Fingerprint);
        Assert.Equal(newest.ManifestUri, reused.ManifestUri);
        Assert.Equal(newest.Outputs, reused.Outputs);
        Assert.Equal(_clock.GetUtcNow(), reused.StartedAt);
    }

    [Fact]
    public async Task A_left_out_step_reuses_a_manifest_published_without_an_outcome()
    {
        // `pa prepare` publishes the step's manifest and records no outcome.
        var published = Publish("prepared-1", PipelineSteps.DataPreparation);

        var reused = await Cache.ReuseNewestAsync(Event, PipelineSteps.DataPreparation, CancellationToken.None);

        Assert.Equal(StepStatuses.Reused, reused.Status);
        Assert.Equal("prepared-1", reused.ReusedFromRunId);
        Assert.Equal(published.ManifestUri, reused.ManifestUri);
        Assert.Equal(Sha256(_store.Get("runs/vet_lva/prepared-1/data_preparation/manifest.json")), reused.ManifestSha256);
        Assert.Equal($"manifest:{published.ManifestUri}", reused.Fingerprint);
        Assert.Empty(reused.Inputs);
        Assert.Empty(reused.Outputs);
        Assert.Empty(reused.Metrics);
    }

    [Fact]
    public async Task A_left_out_step_no_run_has_completed_is_a_user_error()
    {
        await RunAsync("run-1", PipelineSteps.DataPreparation, "fp-a");

        var error = await Assert.ThrowsAsync<PipelineInputException>(
            () => Cache.ReuseNewestAsync(Event, PipelineSteps.GraphPreparation, CancellationToken.None));
        Assert.Contains("graph_preparation", error.Message);
    }

    private Task<StepOutcome> RunAsync(string runId, string step, string fingerprint, bool force = false, string environment = "dev") =>
        Cache.ReuseOrRunAsync(Input(runId, step, force, environment), Event, fingerprint, graphStep: step != PipelineSteps.DataPreparation,
            () =>
            {
                _ran.Add(runId);
                return Task.FromResult(Publish(runId, step));
            }, CancellationToken.None);

    private static StepActivityInput Input(string runId, string step, bool force, string environment) =>
        new(new PipelineRunInput(new PipelineRunRequest(Event, "inputs/vet_lva", Force: force), runId),
            new RunPlan(runId, Event, PipelineSteps.All, environment, false, force, false, new Dictionary<string, ActivityRetryPolicy>(), "config"),
            step, []);

    /// <summary>Publishes a step's manifest as a step would (created now, so later publications are newer).</summary>
    private StepRunResult Publish(string runId, string step)
    {
        var path = ArtifactPath.Parse($"runs/{Event}/{runId}/{step}/{ArtifactManifest.FileName}");
        var manifest = new ArtifactManifest(step, Event, runId, _clock.GetUtcNow(),
            [new ManifestInput("in.csv", new Uri("memory://inputs/in.csv"), "in-sha", 10)],
            [new ManifestOutput("out.parquet", _store.GetUri(ArtifactPath.Parse($"runs/{Event}/{runId}/{step}/out.parquet")), "out-sha", 20, 7)]);
        _store.Add(path.Value, PipelineJson.Serialize(manifest));
        return new StepRunResult(_store.GetUri(path), manifest, new Dictionary<string, long> { ["rows"] = 7 });
    }

    private string Text(string path) => Encoding.UTF8.GetString(_store.Get(path));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed class Clock : TimeProvider
    {
        private DateTimeOffset _now = Start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
