using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// Model monitoring on the dashboard: /api/models/history gives each event's retrainings from the registry, and headless
/// Chromium draws the /models page's chart of the current model's score per retraining.
/// </summary>
[Collection(ServeRunsCollection.Name)]
public sealed partial class ModelsPageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private sealed record EventHistory(string Event, string? CurrentVersion, List<PromotionDecision> Retrainings);

    [Fact]
    public async Task The_history_route_lists_each_events_retrainings_and_the_models_page_charts_them()
    {
        await HeadlessChromium.EnsureInstalledAsync();
        await using var server = await ServeServer.StartAsync();
        for (var i = 0; i < 2; i++)
            Assert.Equal(0, await PaCommandLine.RunAsync(["train", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--store",
                server.StorePath], new StringWriter(), new StringWriter()));

        var histories = JsonSerializer.Deserialize<List<EventHistory>>(
            await server.Client.GetStringAsync(new Uri(server.BaseUri, "/api/models/history")), PipelineJson.Options)!;
        var vetLva = histories.Single(h => h.Event == "vet_lva");
        Assert.Equal(2, vetLva.Retrainings.Count);
        Assert.Equal(vetLva.Retrainings[0].Candidate, vetLva.Retrainings[1].Current);
        Assert.NotNull(vetLva.CurrentVersion);
        Assert.All(histories.Where(h => h.Event != "vet_lva"), h => Assert.Empty(h.Retrainings));
        var one = JsonSerializer.Deserialize<EventHistory>(
            await server.Client.GetStringAsync(new Uri(server.BaseUri, "/api/models/vet_lva/history")), PipelineJson.Options)!;
        Assert.Equal(vetLva.Retrainings.Select(r => r.Candidate), one.Retrainings.Select(r => r.Candidate));
        using var unknown = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/models/nosuch/history"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no event 'nosuch'", await unknown.Content.ReadAsStringAsync());

        var page = new Uri(server.BaseUri, "/models");
        var dom = await HeadlessChromium.DumpDomWhenAsync(page, d => d.Contains("data-charts=\"ready\"", StringComparison.Ordinal), Deadline);

        Assert.True(dom.Contains("data-charts=\"ready\"", StringComparison.Ordinal), $"the models page did not draw within {Deadline}:\n{dom}");
        Assert.Matches("""<p id="error" class="error" hidden="[^"]*">""", dom);
        var canvas = Canvas().Matches(dom).Select(m => m.Value).Single(c => c.Contains("data-event=\"vet_lva\"", StringComparison.Ordinal));
        Assert.Contains("data-rendered=\"true\"", canvas, StringComparison.Ordinal);
        Assert.Contains("data-datasets=\"4\"", canvas, StringComparison.Ordinal);
        // Candidate and heuristic at both retrainings; the current model (now and at registration) only at the second.
        Assert.Contains("data-points=\"6\"", canvas, StringComparison.Ordinal);
        Assert.Contains("""href="/models">""", await HeadlessChromium.DumpDomAsync(server.BaseUri));
        Assert.Equal(0, await server.StopAsync());
    }

    [GeneratedRegex("<canvas [^>]*>")]
    private static partial Regex Canvas();
}
