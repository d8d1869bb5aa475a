using System.Net;
using System.Text.RegularExpressions;

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

        var completed = new Regex("""<tr data-instance-id="dashboard-run" data-runtime-status="Completed">""");
        var stop = DateTime.UtcNow + Deadline;
        var dom = "";
        do
        {
            try
            {
                dom = await HeadlessChromium.DumpDomAsync(server.BaseUri);
                if (completed.IsMatch(dom)) break;
            }
            catch (InvalidOperationException e) when (DateTime.UtcNow < stop)
            {
                // A browser start that failed on a busy machine is retried like a page not yet up to date.
                dom = e.Message;
            }
            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < stop);

        Assert.True(completed.IsMatch(dom), $"the dashboard did not show dashboard-run as Completed within {Deadline}:\n{dom}");
        Assert.Contains("""<tr data-instance-id="dashboard-terminated" data-runtime-status="Terminated">""", dom);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", dom);
        Assert.DoesNotContain("<img", dom);
        // Per-step progress and the retraining decision come from the run's custom status and output.
        Assert.Contains("recommendations: succeeded", dom);
        Assert.Matches("promoted|not promoted", dom);
        Assert.Equal(0, await server.StopAsync());
    }
}
