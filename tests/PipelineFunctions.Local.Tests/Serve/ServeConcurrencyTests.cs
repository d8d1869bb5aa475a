using System.Net;
using System.Text.Json;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>Many submissions at once: every one is accepted, queued within the concurrency limit, and completes.</summary>
[Collection(ServeRunsCollection.Name)]
public sealed class ServeConcurrencyTests
{
    [Fact]
    public async Task Fifty_concurrent_submissions_for_two_events_all_complete()
    {
        await using var server = await ServeServer.StartAsync();
        var ecomm = Path.Combine(server.InputsRoot, "ecomm");
        Directory.CreateDirectory(ecomm);
        foreach (var file in Directory.GetFiles(Repository.Sample("ecomm"))) File.Copy(file, Path.Combine(ecomm, Path.GetFileName(file)));

        var submissions = Enumerable.Range(0, 50).Select(i => (Event: i % 2 == 0 ? "vet_lva" : "ecomm", Id: $"burst-{i:D2}")).ToList();
        var responses = await Task.WhenAll(submissions.Select(s => server.SubmitAsync(s.Event, new { input = s.Event, instanceId = s.Id })));
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            response.Dispose();
        }

        var statuses = await Task.WhenAll(submissions.Select(
            s => server.WaitFinishedAsync(new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances/" + s.Id))));
        Assert.All(statuses, status => Assert.True(status.GetProperty("runtimeStatus").GetString() == "Completed", status.ToString()));
        // Each event's later runs reused the first one's steps or ran them again: either way every run has its exports.
        Assert.All(statuses, status =>
        {
            var steps = status.GetProperty("output").GetProperty("steps").EnumerateArray().ToList();
            Assert.Equal(4, steps.Count);
            Assert.All(steps, step => Assert.Contains(step.GetProperty("status").GetString(), new[] { "succeeded", "reused" }));
        });
        using var list = JsonDocument.Parse(
            await server.Client.GetStringAsync(new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances?top=100")));
        Assert.Equal(50, list.RootElement.EnumerateArray().Count());
    }
}
