using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>The dashboard as a browser shows it: headless Chromium loads the page and its script fills in the runs.</summary>
[Collection(ServeRunsCollection.Name)]
public sealed class DashboardTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Headless_Chromium_shows_a_run_completed_and_run_data_only_as_text()
    {
        await HeadlessChromium.EnsureInstalledAsync();
        await using var server = await ServeServer.StartAsync();

        // A run terminated with markup as its reason: the page must show the markup as text, never as an element.
        const string markup = "<img src=x onerror=alert(1)>";
        using (var terminated = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = "dashboard-terminated", force = true }))
            Assert.Equal(HttpStatusCode.Accepted, terminated.StatusCode);
        await server.WaitRunningAsync("dashboard-terminated");
        using (var terminate = await server.Client.SendAsync(server.WithKey(HttpMethod.Post,
                   "/runtime/webhooks/durabletask/instances/dashboard-terminated/terminate?reason=" + Uri.EscapeDataString(markup))))
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        using (var started = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = "dashboard-run", retrain = true }))
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // A run stopped in the middle of step 4's fan-out: the dashboard says how far its shards got.
        var stoppedAt = DateTime.UtcNow;
        var steps = PipelineSteps.All.ToDictionary(step => step, step => step == PipelineSteps.Recommendations
            ? new StepProgress(StepStatuses.Running, 1, null, new FanOutProgress(12, 20, "shards"))
            : new StepProgress(StepStatuses.Succeeded, 1, null));
        var fanOut = new RunProgress("dashboard-fanout", "vet_lva", PipelineSteps.Recommendations, 3, 4, steps);
        var request = new PipelineRunRequest("vet_lva", "vet_lva");
        var input = JsonSerializer.Serialize(new PipelineRunInput(request, "dashboard-fanout"), PipelineJson.Options);
        Assert.True(await new SqliteRunStore(server.RunStorePath).TryCreateAsync(new RunInstance("dashboard-fanout", PipelineOrchestration.Name,
            RuntimeStatuses.Terminated, input, JsonSerializer.Serialize(fanOut, PipelineJson.Options), null, stoppedAt, stoppedAt, "vet_lva")));

        var completed = new Regex("""<tr data-instance-id="dashboard-run" data-runtime-status="Completed">""");
        var dom = await HeadlessChromium.DumpDomWhenAsync(server.BaseUri, completed.IsMatch, Deadline);

        Assert.True(completed.IsMatch(dom), $"the dashboard did not show dashboard-run as Completed within {Deadline}:\n{dom}");
        Assert.Contains("""<tr data-instance-id="dashboard-terminated" data-runtime-status="Terminated">""", dom);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", dom);
        Assert.DoesNotContain("<img", dom);
        // Per-step progress and the retraining decision come from the run's custom status and output.
        Assert.Contains("recommendations: succeeded", dom);
        Assert.Contains("recommendations: running, 12 of 20 shards", dom);
        Assert.Matches("promoted|not promoted", dom);
        Assert.Equal(0, await server.StopAsync());
    }
}
