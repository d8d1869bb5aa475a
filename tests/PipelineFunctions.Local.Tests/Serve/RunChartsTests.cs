using System.Net;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Reporting;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// The run page's figures (GET /api/pipelines/runs/{id}/charts) after a real run on the sample, checked against what the
/// run itself published: the exports, the summary's metrics, the run store's history and the model registry's files.
/// </summary>
[Collection(ServeRunsCollection.Name)]
public sealed class RunChartsTests
{
    [Fact]
    public async Task The_charts_of_a_run_equal_its_exports_history_and_model_registry()
    {
        await using var server = await ServeServer.StartAsync();
        // A small theatre multiplier so that slots fill up and capacity refuses pairs; retrain so a model is registered.
        var body = new
        {
            input = "vet_lva", instanceId = "charts-run", retrain = true,
            parameters = new Dictionary<string, object> { ["recommendation.theatre_capacity.multiplier"] = 0.08 }
        };
        using (var started = await server.SubmitAsync("vet_lva", body))
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = await server.WaitFinishedAsync(new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances/charts-run"));
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());

        var charts = await GetChartsAsync(server, "charts-run");
        var step4 = status.GetProperty("output").GetProperty("steps").EnumerateArray()
            .Single(s => s.GetProperty("step").GetString() == "recommendations");
        var metrics = step4.GetProperty("metrics");
        var exported = Exports(step4);

        // Agenda lengths: index 0 is the visitors without an agenda, the rest exactly the exports' agendas by length.
        Assert.Equal(metrics.GetProperty("visitors_without_recommendations").GetInt64(), charts.AgendaLengths.Single(l => l.Sessions == 0).Visitors);
        Assert.Equal(metrics.GetProperty("visitors_with_recommendations").GetInt64(),
            charts.AgendaLengths.Where(l => l.Sessions > 0).Sum(l => l.Visitors));
        Assert.Equal(exported.GroupBy(a => a.Sessions.Count).ToDictionary(g => g.Key, g => (long)g.Count()),
            charts.AgendaLengths.Where(l => l.Sessions > 0 && l.Visitors > 0).ToDictionary(l => l.Sessions, l => l.Visitors));

        // Strategies: those with an agenda are the exports' generation_strategy; all of them add up to the visitors processed.
        Assert.Equal(exported.GroupBy(a => a.Strategy).ToDictionary(g => g.Key, g => (long)g.Count()),
            charts.Strategies.Where(s => s.WithAgenda > 0).ToDictionary(s => s.Strategy, s => s.WithAgenda));
        Assert.Equal(metrics.GetProperty("visitors_processed").GetInt64(), charts.Strategies.Sum(s => s.WithAgenda + s.WithoutAgenda));

        // Theatre slots: each slot's assignments are the exported sessions in it; refusals add up to the step's metric.
        var exportedSlots = exported.SelectMany(a => a.Sessions).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(exportedSlots, charts.TheatreSlots.Where(s => s.Assignments > 0)
            .ToDictionary(s => (s.Theatre, s.Date.ToString("yyyy-MM-dd"), s.Start.ToString("HH:mm")), s => s.Assignments));
        Assert.Equal(metrics.GetProperty("capacity_refusals").GetInt64(), charts.TheatreSlots.Sum(s => (long)s.CapacityRefusals));
        Assert.Contains(charts.TheatreSlots, s => s.Limit is { } limit && s.Assignments == limit && s.CapacityRefusals > 0);
        Assert.All(charts.TheatreSlots, s => Assert.True(s.Limit is null || s.Assignments <= s.Limit, $"{s} is over its limit"));

        // Timeline: one bar per activity the run store recorded, each in order of time, and step 4's shards all there.
        var history = await new LocalEngine.Runs.SqliteRunStore(server.RunStorePath).GetHistoryAsync("charts-run");
        Assert.Equal(history.Count(e => e.Kind == "activity"), charts.Timeline.Count);
        Assert.All(charts.Timeline, b => Assert.True(0 <= b.StartSeconds && b.StartSeconds <= b.EndSeconds, $"{b} does not run forward"));
        Assert.Equal(["plan", "data_preparation", "graph_preparation", "embeddings", "recommendations", "retraining", "end"],
            charts.Timeline.Select(b => b.Step).Distinct());
        Assert.Contains(charts.Timeline, b => b.Label.StartsWith("recommendations: shard 1 of ", StringComparison.Ordinal));

        // Models: every registered version with the holdout scores stored beside it; the retraining's candidate is current.
        var infos = Directory
            .GetFiles(Path.Combine(server.StorePath, "models", "vet_lva"), RankingModelRegistry.InfoFile, SearchOption.AllDirectories)
            .Select(f => JsonSerializer.Deserialize<RankingModelInfo>(File.ReadAllText(f), PipelineJson.Options)!).ToList();
        Assert.NotEmpty(infos);
        Assert.Equal(infos.ToDictionary(i => i.Version, i => i.Holdout.NdcgAt10), charts.Models.ToDictionary(m => m.Version, m => m.NdcgAt10));
        var candidate = status.GetProperty("output").GetProperty("retraining").GetProperty("candidate").GetString();
        Assert.Equal(candidate, Assert.Single(charts.Models, m => m.Current).Version);
        Assert.All(charts.Models, m => Assert.NotNull(m.HeuristicNdcgAt10));
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task An_unknown_run_has_no_charts()
    {
        await using var server = await ServeServer.StartAsync();
        using var response = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/pipelines/runs/nobody/charts"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await server.StopAsync());
    }

    public static async Task<RunCharts> GetChartsAsync(ServeServer server, string id)
    {
        using var response = await server.Client.GetAsync(new Uri(server.BaseUri, $"/api/pipelines/runs/{id}/charts"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"charts answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<RunCharts>(text, PipelineJson.Options)!;
    }

    /// <summary>Every exported agenda (treatment and control): its strategy and its sessions' (theatre, date, start).</summary>
    private static List<(string Strategy, List<(string Theatre, string Date, string Start)> Sessions)> Exports(JsonElement step4)
    {
        var agendas = new List<(string, List<(string, string, string)>)>();
        foreach (var output in step4.GetProperty("outputs").EnumerateArray())
        {
            var name = output.GetProperty("name").GetString()!;
            if (!name.EndsWith(".json", StringComparison.Ordinal) || name == "metadata.json") continue;
            using var export = JsonDocument.Parse(File.ReadAllText(new Uri(output.GetProperty("uri").GetString()!).LocalPath));
            foreach (var visitor in export.RootElement.GetProperty("recommendations").EnumerateObject())
                agendas.Add((visitor.Value.GetProperty("metadata").GetProperty("generation_strategy").GetString()!,
                    visitor.Value.GetProperty("filtered_recommendations").EnumerateArray()
                        .Select(r => (r.GetProperty("theatre").GetString()!, r.GetProperty("date").GetString()!,
                            r.GetProperty("start_time").GetString()!))
                        .ToList()));
        }
        Assert.Contains(step4.GetProperty("outputs").EnumerateArray(),
            o => o.GetProperty("name").GetString() == "control/recommendations_control.json");
        return agendas;
    }
}
