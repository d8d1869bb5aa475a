using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine.Runs;
using PipelineFunctions.LocalServer;

namespace PipelineFunctions.Local.Tests.Shutdown;

/// <summary>
/// `pa serve` as a real child process, stopped with real signals while a run's step 1 is executing (held on an input
/// file that is a named pipe): submissions get 503, reads go on, the activity in flight finishes and is recorded (or,
/// past the grace period, is cancelled), the process exits 0, and the run is left Running without a lease; `pa resume`,
/// or the next `pa serve` by itself, then completes it with the exports of an uninterrupted run, no activity completed twice.
/// </summary>
public sealed class GracefulShutdownTests(UninterruptedRun reference) : IClassFixture<UninterruptedRun>, IDisposable
{
    private const string Key = "shutdown-tests-key";

    /// <summary>Generous: the machine is small and shared; nothing here waits this long when things work.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly TempFolder _temp = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    private string Inputs => _temp.Combine("inputs");
    private string RunStore => _temp.Combine("runs.sqlite");

    [Fact]
    public async Task Sigterm_lets_the_activity_in_flight_finish_refuses_new_runs_and_leaves_the_run_resumable()
    {
        using var blocked = await PrepareInputsAsync();
        using var serve = StartServe("--shutdown-grace", "120");
        var baseUri = await serve.ListeningAsync(Patience);
        await SubmitAsync(baseUri, "graceful", HttpStatusCode.Accepted);
        await blocked.WaitForReaderAsync(serve.Id, Patience);

        var signalled = DateTime.UtcNow;
        await serve.SignalAsync("TERM");
        await serve.WaitForErrorAsync("shutting down: 1 run in flight, 1 activity executing", Patience);

        // During the grace period: no new run, but the status, the list and the dashboard answer.
        var refused = await SubmitAsync(baseUri, "too-late", HttpStatusCode.ServiceUnavailable);
        Assert.Contains("shutting down", refused.Body, StringComparison.Ordinal);
        Assert.Contains("submit again", refused.Body, StringComparison.Ordinal);
        Assert.True(refused.RetryAfter > TimeSpan.Zero, "no Retry-After");
        using (var status = await _client.GetAsync(new Uri(baseUri, "/runtime/webhooks/durabletask/instances/graceful")))
        {
            Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
            var body = JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Running", body.GetProperty("runtimeStatus").GetString());
        }
        using (var list = await _client.GetAsync(new Uri(baseUri, "/runtime/webhooks/durabletask/instances")))
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using (var dashboard = await _client.GetAsync(baseUri)) Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.False(serve.HasExited, "pa serve did not wait for the activity in flight");

        var released = DateTime.UtcNow;
        blocked.Release();
        Assert.True(await serve.ExitsWithinAsync(Patience), $"pa serve did not exit: {serve.Errors}");
        Assert.True(serve.ExitCode == 0, $"exit code {serve.ExitCode}: {serve.Errors}");
        Assert.Contains("run graceful left resumable (Running)", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("grace period", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Errors, StringComparison.Ordinal);

        // Step 1, executing when the shutdown began (the line above says so), finished once released and was recorded;
        // nothing started after it.
        var store = new SqliteRunStore(RunStore);
        var history = await store.GetHistoryAsync("graceful");
        Assert.Equal([PipelineActivityNames.PlanRun, PipelineActivityNames.PrepareData], history.Select(e => e.Name));
        var stepOne = history[1];
        Assert.Null(stepOne.FailureType);
        Assert.True(stepOne.RecordedAt >= released && released > signalled, $"recorded {stepOne.RecordedAt:O}, released {released:O}");
        Assert.Null(await store.GetAsync("too-late"));
        await AssertResumableAsync(store, "graceful");

        var (exports, activities) = await ResumeAsync("graceful");
        Assert.Equal(reference.Exports, exports);
        Assert.Equal(reference.Activities, activities);
        // Replayed, not run again: the event recorded during the grace period is the one the completed run holds.
        Assert.Equal(stepOne, (await store.GetHistoryAsync("graceful"))[1]);
    }

    [Fact]
    public async Task Ctrl_c_with_a_grace_period_too_short_cancels_the_activity_exits_0_and_the_next_server_completes_the_run()
    {
        using var blocked = await PrepareInputsAsync();
        using var serve = StartServe("--shutdown-grace", "1");
        var baseUri = await serve.ListeningAsync(Patience);
        await SubmitAsync(baseUri, "cut-short", HttpStatusCode.Accepted);
        await blocked.WaitForReaderAsync(serve.Id, Patience);

        // Ctrl-C's signal; SIGTERM where this test run was started with SIGINT ignored (a background job of a script).
        await serve.SignalAsync(serve.IgnoresInterrupt() ? "TERM" : "INT");
        await serve.WaitForErrorAsync("grace period of 1 s over: cancelled 1 activity", Patience);
        // The activity sees its cancellation only once its read returns.
        blocked.Release();
        Assert.True(await serve.ExitsWithinAsync(Patience), $"pa serve did not exit: {serve.Errors}");
        Assert.True(serve.ExitCode == 0, $"exit code {serve.ExitCode}: {serve.Errors}");
        Assert.Contains("run cut-short left resumable (Running)", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Errors, StringComparison.Ordinal);

        // The cancelled step 1 left no trace in history (no failure either): it runs again on resume.
        var store = new SqliteRunStore(RunStore);
        Assert.Equal([PipelineActivityNames.PlanRun], (await store.GetHistoryAsync("cut-short")).Select(e => e.Name));
        await AssertResumableAsync(store, "cut-short");

        // No command: the next pa serve on the run store takes the run over as it starts.
        var (exports, activities) = await ContinueInRestartedServerAsync("cut-short");
        Assert.Equal(reference.Exports, exports);
        Assert.Equal(reference.Activities, activities);
    }

    [Fact]
    public async Task A_second_signal_stops_at_once()
    {
        using var blocked = await PrepareInputsAsync();
        using var serve = StartServe("--shutdown-grace", "600");
        var baseUri = await serve.ListeningAsync(Patience);
        await SubmitAsync(baseUri, "impatient", HttpStatusCode.Accepted);
        await blocked.WaitForReaderAsync(serve.Id, Patience);

        await serve.SignalAsync("TERM");
        await serve.WaitForErrorAsync("waiting up to 600 s", Patience);
        await serve.SignalAsync("TERM");
        Assert.True(await serve.ExitsWithinAsync(Patience), $"pa serve did not exit: {serve.Errors}");
        Assert.Equal(130, serve.ExitCode);
        Assert.Contains("SIGTERM again: stopping at once", serve.Errors, StringComparison.Ordinal);
        Assert.Equal("Running", (await new SqliteRunStore(RunStore).GetAsync("impatient"))!.RuntimeStatus);
    }

    [Fact]
    public async Task Pa_run_on_ctrl_c_stops_exits_130_releases_the_lease_and_pa_resume_completes_the_run()
    {
        using var blocked = await PrepareInputsAsync();
        using var run = PaProcess.Start(_temp.Path, "run", "--event", "vet_lva", "--input", Path.Combine(Inputs, "vet_lva"),
            "--instance-id", "interrupted", "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"), "--runs", RunStore);
        await blocked.WaitForReaderAsync(run.Id, Patience);

        await run.SignalAsync(run.IgnoresInterrupt() ? "TERM" : "INT");
        // Step 1 notices its cancellation once its read returns.
        blocked.Release();
        Assert.True(await run.ExitsWithinAsync(Patience), $"pa run did not exit: {run.Errors}");
        Assert.True(run.ExitCode == PaCommandLine.ExitInterrupted, $"exit code {run.ExitCode}: {run.Errors}");
        Assert.Contains("interrupted: run interrupted left resumable (Running); continue it with: pa resume interrupted", run.Errors,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors, StringComparison.Ordinal);

        var store = new SqliteRunStore(RunStore);
        var history = (await store.GetHistoryAsync("interrupted")).Select(e => $"{e.Kind} {e.Name}").ToList();
        // What completed before the signal took effect (step 1 may have got its content first), and nothing failed.
        Assert.InRange(history.Count, 1, reference.Activities.Count - 1);
        Assert.Equal(reference.Activities.Take(history.Count), history);
        Assert.All(await store.GetHistoryAsync("interrupted"), e => Assert.Null(e.FailureType));
        await AssertResumableAsync(store, "interrupted");

        var (exports, activities) = await ResumeAsync("interrupted");
        Assert.Equal(reference.Exports, exports);
        Assert.Equal(reference.Activities, activities);
    }

    /// <summary>The sample under the inputs root as "vet_lva", one of its files a pipe that holds step 1 until released.</summary>
    private async Task<BlockedInput> PrepareInputsAsync()
    {
        var folder = Path.Combine(Inputs, "vet_lva");
        SampleCopies.CopyFolder(Repository.Sample("vet_lva"), folder);
        return await BlockedInput.CreateAsync(Path.Combine(folder, "teatres.csv"), _temp.Combine("aside"));
    }

    private PaProcess StartServe(params string[] extra) => PaProcess.Start(_temp.Path,
    [
        "serve", "--port", "0", "--api-key", Key, "--no-schedule", "--inputs-root", Inputs, "--store", _temp.Combine("store"),
        "--graph", _temp.Combine("graph"), "--runs", RunStore, .. extra,
    ]);

    private async Task<(string Body, TimeSpan? RetryAfter)> SubmitAsync(Uri baseUri, string id, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/api/pipelines/vet_lva/runs"))
        {
            Content = JsonContent.Create(new { input = "vet_lva", instanceId = id }),
        };
        request.Headers.Add(ApiKey.HeaderName, Key);
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return (body, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Left Running (not failed, not terminated) and with no lease: another process may take it over at once.</summary>
    private static async Task AssertResumableAsync(SqliteRunStore store, string id)
    {
        Assert.Equal(RuntimeStatuses.Running, (await store.GetAsync(id))!.RuntimeStatus);
        var now = DateTime.UtcNow;
        Assert.True(await store.TryAcquireLeaseAsync(id, "another-process", now.AddSeconds(5), now), "the lease was not released");
        await store.ReleaseLeaseAsync(id, "another-process");
    }

    /// <summary>A new `pa serve` on the same stores; it resumes the run by itself (recovery on start).</summary>
    private async Task<(Dictionary<string, string> Exports, List<string> Activities)> ContinueInRestartedServerAsync(string id)
    {
        using var restarted = StartServe();
        await restarted.ListeningAsync(Patience);
        var store = new SqliteRunStore(RunStore);
        var deadline = DateTime.UtcNow + Patience;
        while (!RuntimeStatuses.IsFinal((await store.GetAsync(id))!.RuntimeStatus))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{id} did not finish in the restarted server: {restarted.Errors}");
            await Task.Delay(100);
        }
        await using var host = TestLocalHost.Open(_temp.Path);
        Assert.Equal(RuntimeStatuses.Completed, (await host.RunStore.GetAsync(id))!.RuntimeStatus);
        return await UninterruptedRun.DescribeAsync(host, id);
    }

    /// <summary>
    /// `pa resume` in another process on the same stores. It runs in the inputs root: the run's input is the name the
    /// API was given ("vet_lva"), relative to it.
    /// </summary>
    private async Task<(Dictionary<string, string> Exports, List<string> Activities)> ResumeAsync(string id)
    {
        await PaProcess.RunToEndAsync(Inputs, Patience, "resume", id, "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"),
            "--runs", RunStore);
        await using var host = TestLocalHost.Open(_temp.Path);
        Assert.Equal(RuntimeStatuses.Completed, (await host.RunStore.GetAsync(id))!.RuntimeStatus);
        return await UninterruptedRun.DescribeAsync(host, id);
    }
}
