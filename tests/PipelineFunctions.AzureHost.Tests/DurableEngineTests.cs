using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Functions;
using PipelineFunctions.Hosting;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Tests.Artifacts;
using PipelineFunctions.LocalEngine;
using Xunit.Abstractions;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>
/// The app's own functions on the real Durable Task engine: the whole pipeline from an HTTP submission, bad input, a
/// transient fault, a step that keeps failing, concurrent starts of one instance, and the size of every payload.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DurableEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Event = "vet_lva";

    [Fact]
    public async Task A_run_submitted_over_HTTP_completes_with_exports_identical_to_pa_run_and_payloads_within_Durable_limits()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var http = ActivatorUtilities.CreateInstance<PipelineHttpFunctions>(host.Services);

        var request = TestHttp.Post(host.Services, $"http://localhost:7071/api/pipelines/{Event}/runs",
            """
            {"input": "vet_lva", "instanceId": "e2e-1",
             "parameters": {"recommendation.shard_size": 20, "embeddings.batch_size": 10, "embeddings.max_batches_in_flight": 2}}
            """);
        var accepted = await http.StartAsync(request, Event, host.Client, TestHttp.ContextOf(request));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using (var payload = JsonDocument.Parse(TestHttp.BodyOf(accepted)))
        {
            Assert.Equal("e2e-1", payload.RootElement.GetProperty("id").GetString());
            Assert.Equal("http://localhost:7071/runtime/webhooks/durabletask/instances/e2e-1",
                payload.RootElement.GetProperty("statusQueryGetUri").GetString());
        }
        var finished = await host.WaitAsync("e2e-1");
        Assert.True(finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed, finished.FailureDetails?.ErrorMessage);
        var summary = finished.ReadOutputAs<RunSummary>()!;
        Assert.Equal(PipelineSteps.All, summary.Steps.Select(s => s.Step));
        Assert.All(summary.Steps, s => Assert.Equal((StepStatuses.Succeeded, 1), (s.Status, s.Attempts)));

        // The run's summary over HTTP is its output, as the orchestration wrote it.
        var get = TestHttp.Get(host.Services, "http://localhost:7071/api/pipelines/runs/e2e-1");
        var read = await http.GetAsync(get, "e2e-1", host.Client, TestHttp.ContextOf(get));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(finished.SerializedOutput, TestHttp.BodyOf(read));

        // The exports in the blob store are the bytes pa run writes from the same inputs (in its default shards and batches).
        var exports = Exports(summary);
        foreach (var (name, sha256) in exports)
        {
            var uri = summary.Steps[^1].Outputs.Single(o => o.Name == name).Uri;
            Assert.True(host.Store.TryGetPath(uri, out var path), $"{uri} is not in the artifact store");
            Assert.Equal(sha256, await host.Store.GetContentHashAsync(path));
        }
        Assert.Equal(Exports(await RunLocallyAsync("e2e-1")), exports);
        Assert.Contains("recommendations.json", exports.Keys);

        // Every payload the engine carried: each custom status under Durable's 16 KB (8,192 UTF-16 characters), each
        // activity input and output, and the orchestration's own input and output, under 16 KB: URIs, hashes and counts only.
        var payloads = host.Payloads.Payloads.ToList();
        foreach (var group in payloads.GroupBy(p => p.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"{group.Key}: {group.Count()} payloads, largest {group.Max(p => p.Json.Length):N0} characters");
        Assert.Contains(payloads, p => p.Type == nameof(RunProgress));
        Assert.All(payloads.Where(p => p.Type == nameof(RunProgress)), p => Assert.True(p.Json.Length < RunStatusLimits.CustomStatusCharacters / 2,
            $"custom status of {p.Json.Length} characters"));
        Assert.All(payloads.Where(p => p.Type != nameof(RunSummary)), p => Assert.True(
            Encoding.UTF8.GetByteCount(p.Json) < RunStatusLimits.ActivityMessageBytes, $"{p.Type} of {p.Json.Length} characters"));
        // The orchestration's output, the whole summary, is no activity message: under the size Durable keeps inline.
        Assert.All(payloads, p => Assert.True(p.Json.Length < RunStatusLimits.MessageCharacters / 2, $"{p.Type} of {p.Json.Length} characters"));
        // Fanned out on the real engine: four graph processor groups, several session batches and visitor shards.
        Assert.Equal(3, payloads.Count(p => p.Type == nameof(FanOutPlan)));
        Assert.Equal(4, host.Functions.Invocations[PipelineActivityNames.RunGraphProcessor]);
        Assert.True(host.Functions.Invocations[PipelineActivityNames.EmbedSessionBatch] > 1);
        Assert.True(host.Functions.Invocations[PipelineActivityNames.ScoreRecommendationShard] > 1);
    }

    [Fact]
    public async Task Bad_input_fails_the_run_at_once_naming_file_row_and_field_and_publishes_nothing_of_that_step()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var broken = Directory.CreateTempSubdirectory("pa-broken-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AzureHostPaths.Samples, Event)))
                File.Copy(file, Path.Combine(broken.FullName, Path.GetFileName(file)));
            var sessions = Path.Combine(broken.FullName, "LVS25_session_export.csv");
            var lines = File.ReadAllLines(sessions);
            lines[5] = lines[5].Replace(",2025-11-2", ",2025/11/2", StringComparison.Ordinal);
            File.WriteAllLines(sessions, lines);
            await host.UploadInputAsync(broken.FullName, "broken");
        }
        finally
        {
            broken.Delete(recursive: true);
        }

        var started = await Start(host, """{"input": "broken", "instanceId": "bad-input"}""");
        Assert.Equal(RunStartStatus.Started, started.Status);
        var finished = await host.WaitAsync("bad-input");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, finished.RuntimeStatus);
        const string expected = "LVS25_session_export.csv, row 6, field 'date': '2025/11/2";
        Assert.Contains(expected, finished.FailureDetails!.ErrorMessage);
        Assert.Equal(1, host.Functions.Invocations[PipelineActivityNames.PrepareData]);
        Assert.False(host.Functions.Invocations.ContainsKey(PipelineActivityNames.BeginGraphPreparation));
        await foreach (var artifact in host.Store.ListAsync($"runs/{Event}/bad-input/{PipelineSteps.DataPreparation}"))
            Assert.Fail($"a failed step published {artifact.Path}");

        // The compact failure in the custom status, and the whole summary over HTTP, as for a local run.
        var status = RunSummaries.Progress(finished.SerializedCustomStatus)!;
        Assert.Equal(PipelineSteps.DataPreparation, status.CurrentStep);
        Assert.Contains(expected, status.Error);
        Assert.NotNull(status.SummaryUri);
        var summary = await ReadSummaryOverHttpAsync(host, "bad-input");
        Assert.Equal(StepStatuses.Failed, summary.Status);
        Assert.Contains(expected, summary.Error);
        Assert.Equal(1, summary.Steps.Single().Attempts);
    }

    [Fact]
    public async Task A_transient_fault_is_retried_per_the_event_policy_and_the_run_completes_with_its_attempts_recorded()
    {
        var failures = 0;
        await using var host = await FunctionsTestHost.StartAsync(azurite, path =>
            path.Value.Contains($"/{PipelineSteps.GraphPreparation}/", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1
                ? new IOException("the storage account is not reachable (simulated)")
                : null);

        var started = await Start(host, """
            {"input": "vet_lva", "instanceId": "transient",
             "parameters": {"orchestration.graph_preparation.first_retry_seconds": 1}}
            """);
        Assert.Equal(RunStartStatus.Started, started.Status);
        var finished = await host.WaitAsync("transient");

        Assert.True(finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed, finished.FailureDetails?.ErrorMessage);
        var summary = finished.ReadOutputAs<RunSummary>()!;
        Assert.Equal(2, summary.Steps.Single(s => s.Step == PipelineSteps.GraphPreparation).Attempts);
        // Step 2's four processor groups, the one that met the fault run a second time.
        Assert.Equal(4 + 1, host.Functions.Invocations[PipelineActivityNames.RunGraphProcessor]);
        Assert.All(summary.Steps.Where(s => s.Step != PipelineSteps.GraphPreparation), s => Assert.Equal(1, s.Attempts));
    }

    [Fact]
    public async Task Step_4_failing_on_every_attempt_fails_the_run_with_its_custom_status_under_Durable_limit()
    {
        // A long error, as a storage SDK gives with its request and response details.
        var longError = "the recommendations container refused the write: " + string.Concat(Enumerable.Repeat("x-ms-request-id: 0f3c; ", 2_000));
        await using var host = await FunctionsTestHost.StartAsync(azurite, path =>
            path.Value.Contains($"/{PipelineSteps.Recommendations}/", StringComparison.Ordinal) ? new InvalidOperationException(longError) : null);

        var started = await Start(host, """
            {"input": "vet_lva", "instanceId": "step4-fails",
             "parameters": {"orchestration.recommendations.first_retry_seconds": 0.5, "orchestration.recommendations.max_attempts": 3}}
            """);
        Assert.Equal(RunStartStatus.Started, started.Status);
        var finished = await host.WaitAsync("step4-fails");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, finished.RuntimeStatus);
        // Step 4 first writes in its plan (the scoring context), which fails on every attempt.
        Assert.Equal(3, host.Functions.Invocations[PipelineActivityNames.BeginRecommendations]);
        Assert.False(host.Functions.Invocations.ContainsKey(PipelineActivityNames.ScoreRecommendationShard));
        var customStatus = finished.SerializedCustomStatus!;
        output.WriteLine($"failed run's custom status: {customStatus.Length:N0} characters");
        Assert.True(customStatus.Length < RunStatusLimits.CustomStatusCharacters / 2, $"custom status of {customStatus.Length} characters");
        var status = RunSummaries.Progress(customStatus)!;
        Assert.Equal((PipelineSteps.Recommendations, 3), (status.CurrentStep, status.Steps[PipelineSteps.Recommendations].Attempts));
        Assert.StartsWith("recommendations: the recommendations container refused the write", status.Error);

        var summary = await ReadSummaryOverHttpAsync(host, "step4-fails");
        Assert.Equal([StepStatuses.Succeeded, StepStatuses.Succeeded, StepStatuses.Succeeded, StepStatuses.Failed],
            summary.Steps.Select(s => s.Status));
        Assert.Equal(3, summary.Steps[^1].Attempts);
        Assert.All(host.Payloads.Payloads, p => Assert.True(p.Json.Length < RunStatusLimits.MessageCharacters / 2,
            $"{p.Type} of {p.Json.Length} characters"));
    }

    [Fact]
    public async Task Twenty_concurrent_weekly_timer_invocations_create_one_instance_that_completes()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var timer = ActivatorUtilities.CreateInstance<WeeklyRetrainFunction>(host.Services);
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => timer.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(),
            host.Client, CancellationToken.None))));

        var instanceId = WeeklyRun.InstanceId(Event, new WeeklySchedule(WeeklySchedule.DefaultExpression).OccurrenceFiredAt(now));
        var messages = host.Logs.Messages.ToList();
        Assert.Single(messages, m => m == $"Run {instanceId} of event {Event} scheduled");
        Assert.Equal(19, messages.Count(m => m == $"Run {instanceId} of event {Event} exists already"));
        var finished = await host.WaitAsync(instanceId);
        Assert.True(finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed, finished.FailureDetails?.ErrorMessage);
        var summary = finished.ReadOutputAs<RunSummary>()!;
        Assert.True(summary.Request.Incremental && summary.Request.Retrain);
        Assert.Equal(1, host.Functions.Invocations[PipelineActivityNames.PlanRun]);
    }

    [Fact]
    public async Task A_past_due_firing_on_Monday_starts_the_run_of_the_week_whose_Sunday_it_missed()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        // The app was down over Sunday 2026-11-29 04:00 (ISO week 48); the timer catches up on Monday, in week 49.
        var monday = DateTimeOffset.Parse("2026-11-30T01:15:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var timer = ActivatorUtilities.CreateInstance<WeeklyRetrainFunction>(host.Services, new FixedTime(monday));

        await timer.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo { IsPastDue = true }, host.Client, CancellationToken.None);

        Assert.Contains($"Run weekly-{Event}-2026-W48 of event {Event} scheduled", host.Logs.Messages);
        Assert.Null(await host.Client.GetInstanceAsync($"weekly-{Event}-2026-W49"));
        var finished = await host.WaitAsync($"weekly-{Event}-2026-W48");
        Assert.True(finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed, finished.FailureDetails?.ErrorMessage);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Twenty_concurrent_HTTP_submissions_with_one_instance_id_start_it_once_and_answer_409_to_the_rest()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var http = ActivatorUtilities.CreateInstance<PipelineHttpFunctions>(host.Services);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            var request = TestHttp.Post(host.Services, $"http://localhost:7071/api/pipelines/{Event}/runs",
                """{"input": "vet_lva", "instanceId": "same-id"}""");
            var response = await http.StartAsync(request, Event, host.Client, TestHttp.ContextOf(request));
            return (response.StatusCode, Body: TestHttp.BodyOf(response));
        })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        var conflicts = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        Assert.Equal(19, conflicts.Count);
        Assert.All(conflicts, c => Assert.Equal("an instance with id 'same-id' exists already",
            JsonDocument.Parse(c.Body).RootElement.GetProperty("detail").GetString()));
        var finished = await host.WaitAsync("same-id");
        Assert.True(finished.RuntimeStatus == OrchestrationRuntimeStatus.Completed, finished.FailureDetails?.ErrorMessage);
        Assert.Equal(1, host.Functions.Invocations[PipelineActivityNames.PlanRun]);
    }

    [Fact]
    public async Task A_bad_submission_gets_a_400_naming_the_field_and_creates_nothing()
    {
        await using var host = await FunctionsTestHost.StartAsync(azurite);
        var http = ActivatorUtilities.CreateInstance<PipelineHttpFunctions>(host.Services);

        var request = TestHttp.Post(host.Services, $"http://localhost:7071/api/pipelines/{Event}/runs",
            """{"input": "../secrets", "instanceId": "refused"}""");
        var response = await http.StartAsync(request, Event, host.Client, TestHttp.ContextOf(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(TestHttp.BodyOf(response));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("input", out _), problem.RootElement.GetRawText());
        Assert.Null(await host.Client.GetInstanceAsync("refused"));
    }

    [Fact]
    public async Task Without_the_Neo4j_adapter_a_run_on_the_Neo4j_graph_fails_when_planned_with_one_clear_message()
    {
        // The test build, like any plain build, leaves the adapter out (-p:Neo4jAdapter defaults to false outside publish).
        Assert.DoesNotContain(typeof(AzureHostOptions).Assembly.GetReferencedAssemblies(), a => a.Name == "PipelineFunctions.Neo4j");
        await using var host = await FunctionsTestHost.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            [AzureHostOptions.GraphSetting] = "neo4j",
        });

        Assert.Equal(RunStartStatus.Started, (await Start(host, """{"input": "vet_lva", "instanceId": "no-neo4j"}""")).Status);
        var finished = await host.WaitAsync("no-neo4j");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, finished.RuntimeStatus);
        Assert.Contains(MissingNeo4jAdapterGraphFactory.Reason, finished.FailureDetails!.ErrorMessage);
        Assert.Equal(1, host.Functions.Invocations[PipelineActivityNames.PlanRun]);
        Assert.False(host.Functions.Invocations.ContainsKey(PipelineActivityNames.PrepareData), "step 1 ran although the run could never finish");
    }

    [Fact]
    public void Every_activity_Core_can_call_has_exactly_one_activity_function_and_the_orchestrator_has_Core_name()
    {
        var functions = AppFunctions.DurableFunctions().ToList();
        var activities = functions.Where(f => f.Trigger is Microsoft.Azure.Functions.Worker.ActivityTriggerAttribute)
            .Select(f => f.Name).Order(StringComparer.Ordinal);
        Assert.Equal(PipelineActivityNames.All.Order(StringComparer.Ordinal), activities);
        Assert.Equal([PipelineOrchestration.Name],
            functions.Where(f => f.Trigger is Microsoft.Azure.Functions.Worker.OrchestrationTriggerAttribute).Select(f => f.Name));
    }

    private static Task<RunStartResult> Start(FunctionsTestHost host, string body) =>
        host.Services.GetRequiredService<PipelineRunStarter>().SubmitAsync(host.Client, Event, new MemoryStream(Encoding.UTF8.GetBytes(body)),
            CancellationToken.None);

    private static async Task<RunSummary> ReadSummaryOverHttpAsync(FunctionsTestHost host, string id)
    {
        var http = ActivatorUtilities.CreateInstance<PipelineHttpFunctions>(host.Services);
        var get = TestHttp.Get(host.Services, $"http://localhost:7071/api/pipelines/runs/{id}");
        var response = await http.GetAsync(get, id, host.Client, TestHttp.ContextOf(get));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<RunSummary>(TestHttp.BodyOf(response), PipelineJson.Options)!;
    }

    /// <summary>Step 4's exports (not its metadata, which holds timings) by name, with their SHA-256.</summary>
    private static Dictionary<string, string> Exports(RunSummary summary) =>
        summary.Steps.Single(s => s.Step == PipelineSteps.Recommendations).Outputs
            .Where(o => o.Name != "metadata.json")
            .ToDictionary(o => o.Name, o => o.Sha256, StringComparer.Ordinal);

    /// <summary>The same run with `pa run`'s engine and embedded defaults: a local folder store, the SQLite graph.</summary>
    private static async Task<RunSummary> RunLocallyAsync(string instanceId)
    {
        var temp = Directory.CreateTempSubdirectory("pa-local-reference-");
        try
        {
            await using var local = new LocalHost(ArtifactStoreLocator.Open(Path.Combine(temp.FullName, "store")),
                new SqliteAgendaGraphFactory(Path.Combine(temp.FullName, "graph")), Path.Combine(temp.FullName,
                    "runs.sqlite"), AzureHostPaths.RepositoryRoot,
                LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance, TimeProvider.System);
            await local.Runner.CreateAsync(new PipelineRunRequest(Event, Path.Combine(AzureHostPaths.Samples, Event)), instanceId);
            var instance = await local.Runner.RunAsync(instanceId);
            return await local.SummaryAsync(instance)
                ?? throw new InvalidOperationException($"pa run: {instance.RuntimeStatus} {instance.OutputJson}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
