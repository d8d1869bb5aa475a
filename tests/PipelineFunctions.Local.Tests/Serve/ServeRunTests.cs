using System.Net;
using System.Text.Json;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>Runs submitted over HTTP: executed to the end, queried Durable-style, terminated and purged.</summary>
[Collection(ServeRunsCollection.Name)]
public sealed class ServeRunTests
{
    [Fact]
    public async Task A_posted_run_completes_and_its_recommendations_export_is_in_the_store()
    {
        await using var server = await ServeServer.StartAsync();
        const string id = "e2e-vet_lva";

        using var response = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = id });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var payload = JsonDocument.Parse(text).RootElement;
        Assert.Equal(id, payload.GetProperty("id").GetString());
        var instanceUri = new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances/" + id);
        Assert.Equal(instanceUri, new Uri(payload.GetProperty("statusQueryGetUri").GetString()!));
        Assert.Equal(instanceUri, response.Headers.Location);
        Assert.Equal(instanceUri, new Uri(payload.GetProperty("purgeHistoryDeleteUri").GetString()!));
        Assert.Equal(instanceUri + "/terminate?reason={text}", payload.GetProperty("terminatePostUri").GetString());
        Assert.Equal(instanceUri + "/raiseEvent/{eventName}", payload.GetProperty("sendEventPostUri").GetString());

        var status = await server.WaitFinishedAsync(instanceUri);
        Assert.True(status.GetProperty("runtimeStatus").GetString() == "Completed", status.ToString());
        foreach (var property in new[] { "name", "instanceId", "runtimeStatus", "input", "customStatus", "output", "createdTime", "lastUpdatedTime" })
            Assert.True(status.TryGetProperty(property, out _), $"status lacks {property}");
        Assert.Equal("vet_lva", status.GetProperty("input").GetProperty("request").GetProperty("input").GetString());

        // The summary route gives the orchestration's output; its recommendations export is a file under the store.
        var summary = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri(server.BaseUri, "/api/pipelines/runs/" + id))).RootElement;
        Assert.Equal("succeeded", summary.GetProperty("status").GetString());
        var recommendations = summary.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "recommendations");
        var export = recommendations.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "recommendations.json");
        var exportPath = new Uri(export.GetProperty("uri").GetString()!).LocalPath;
        Assert.StartsWith(server.StorePath + Path.DirectorySeparatorChar, exportPath);
        Assert.True(File.Exists(exportPath), exportPath);
        Assert.True(File.Exists(Path.Combine(server.StorePath, "runs", "vet_lva", id, "recommendations", "recommendations.json")));

        // Listed, filtered by status; and the id cannot be taken twice.
        var completed = JsonDocument.Parse(await server.Client.GetStringAsync(
            new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances?runtimeStatus=Completed,Failed&top=10"))).RootElement;
        Assert.Contains(completed.EnumerateArray(), r => r.GetProperty("instanceId").GetString() == id);
        var running = JsonDocument.Parse(await server.Client.GetStringAsync(
            new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances?runtimeStatus=Running"))).RootElement;
        Assert.Empty(running.EnumerateArray());
        using var again = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = id });
        await ServeRefusalTests.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Single(await server.InstancesAsync());
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task A_failed_run_has_the_Azure_host_status_shape_and_its_whole_summary_over_HTTP()
    {
        await using var server = await ServeServer.StartAsync();
        const string id = "broken-vet_lva";
        SampleCopies.WithBadSessionDate(Path.Combine(server.InputsRoot, "broken"));

        using var response = await server.SubmitAsync("vet_lva", new { input = "broken", instanceId = id });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var status = await server.WaitFinishedAsync(new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances/" + id));

        // As Durable: Failed, the output is the error; the custom status names the failed step, the error and the summary.
        const string expected = SampleCopies.BadSessionDateError;
        Assert.Equal("Failed", status.GetProperty("runtimeStatus").GetString());
        Assert.Contains(expected, status.GetProperty("output").GetString());
        var customStatus = status.GetProperty("customStatus");
        Assert.Equal("data_preparation", customStatus.GetProperty("currentStep").GetString());
        Assert.Contains(expected, customStatus.GetProperty("error").GetString());
        var summaryUri = new Uri(customStatus.GetProperty("summaryUri").GetString()!);
        Assert.Equal(Path.Combine(server.StorePath, "runs", "vet_lva", id, "run_summary.json"), summaryUri.LocalPath);

        var summary = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri(server.BaseUri, "/api/pipelines/runs/" + id))).RootElement;
        Assert.Equal("failed", summary.GetProperty("status").GetString());
        Assert.Contains(expected, summary.GetProperty("error").GetString());
        Assert.Equal(JsonDocument.Parse(await File.ReadAllTextAsync(summaryUri.LocalPath)).RootElement.GetRawText(), summary.GetRawText());
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task A_running_instance_is_terminated_then_purged_as_Durable_answers()
    {
        await using var server = await ServeServer.StartAsync();
        const string id = "to-terminate";
        var instance = "/runtime/webhooks/durabletask/instances/" + id;
        // force: every step really runs, so the instance is certainly still in flight when the next requests arrive.
        using var started = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = id, force = true });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await server.WaitRunningAsync(id);

        using var purgeRunning = await server.Client.SendAsync(server.WithKey(HttpMethod.Delete, instance));
        await ServeRefusalTests.ProblemAsync(purgeRunning, HttpStatusCode.Conflict);
        using var terminate = await server.Client.SendAsync(
            server.WithKey(HttpMethod.Post, instance + "/terminate?reason=stopped%20by%20the%20test"));
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);

        var status = await server.WaitFinishedAsync(new Uri(server.BaseUri, instance));
        Assert.Equal("Terminated", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal("stopped by the test", status.GetProperty("output").GetString());
        using var terminateAgain = await server.Client.SendAsync(server.WithKey(HttpMethod.Post, instance + "/terminate"));
        await ServeRefusalTests.ProblemAsync(terminateAgain, HttpStatusCode.Gone);
        using var noSummary = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/pipelines/runs/" + id));
        await ServeRefusalTests.ProblemAsync(noSummary, HttpStatusCode.NotFound);

        using var purge = await server.Client.SendAsync(server.WithKey(HttpMethod.Delete, instance));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await purge.Content.ReadAsStringAsync()).RootElement.GetProperty("instancesDeleted").GetInt32());
        using var gone = await server.Client.GetAsync(new Uri(server.BaseUri, instance));
        await ServeRefusalTests.ProblemAsync(gone, HttpStatusCode.NotFound);
        using var purgeAgain = await server.Client.SendAsync(server.WithKey(HttpMethod.Delete, instance));
        await ServeRefusalTests.ProblemAsync(purgeAgain, HttpStatusCode.NotFound);
        Assert.Empty(await server.InstancesAsync());
        Assert.Equal(0, await server.StopAsync());
    }
}
