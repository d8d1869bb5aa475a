using System.Net;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.Local.Commands;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// GET /api/pipelines/runs/{id}/analysis, which the run page charts: 404 until the run is analysed, then the analysis.json
/// that `pa analyse` wrote into the run's folder, figure for figure; and the analysis as a step of a run submitted over HTTP.
/// </summary>
[Collection(ServeRunsCollection.Name)]
public sealed class RunAnalysisTests
{
    [Fact]
    public async Task A_run_has_its_analysis_once_pa_analyse_or_a_run_submitted_with_analyse_has_written_it()
    {
        await using var server = await ServeServer.StartAsync();
        using (var started = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = "analysed-run" }))
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = await server.WaitFinishedAsync(new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances/analysed-run"));
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());

        using (var before = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/pipelines/runs/analysed-run/analysis")))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
            Assert.Equal("application/problem+json", before.Content.Headers.ContentType?.MediaType);
        }

        // The show's outcome, simulated from the run's own exports into its input folder, then analysed as a user would.
        var input = Path.Combine(server.InputsRoot, "vet_lva");
        Assert.Equal(0, await Pa("generate", "--event", "vet_lva", "--out", input, "--uplift", "0.2", "--seed", "4", "--store", server.StorePath,
            "--run-id", "analysed-run"));
        Assert.Equal(0, await Pa("analyse", "--event", "vet_lva", "--input", input, "--store", server.StorePath, "--run-id", "analysed-run"));

        using var response = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/pipelines/runs/analysed-run/analysis"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"analysis answered {(int)response.StatusCode}: {text}");
        var served = JsonSerializer.Deserialize<AnalysisReport>(text, PipelineJson.Options)!;
        var written = JsonSerializer.Deserialize<AnalysisReport>(await File.ReadAllTextAsync(
            Path.Combine(server.StorePath, "runs", "vet_lva", "analysed-run", PostShowAnalysisStep.StepName, PostShowAnalysisStep.AnalysisJson)),
            PipelineJson.Options)!;
        Assert.Equal("analysed-run", served.RunId);
        Assert.Equal(written.Metrics, served.Metrics);
        Assert.Equal(written.TreatmentVisitors + written.ControlVisitors,
            status.GetProperty("output").GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "recommendations")
                .GetProperty("metrics").GetProperty("visitors_with_recommendations").GetInt64());
        Assert.NotEmpty(served.Metrics);

        // The same over HTTP: a submission with analyse reuses the four steps and ends with the analysis, which the route serves.
        using (var again = await server.SubmitAsync("vet_lva", new { input = "vet_lva", instanceId = "analysed-over-http", analyse = true }))
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var analysed = await server.WaitFinishedAsync(new Uri(server.BaseUri, "/runtime/webhooks/durabletask/instances/analysed-over-http"));
        Assert.Equal("Completed", analysed.GetProperty("runtimeStatus").GetString());
        var steps = analysed.GetProperty("output").GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["reused", "reused", "reused", "reused", "succeeded"], steps.Select(s => s.GetProperty("status").GetString()));
        Assert.Equal(PostShowAnalysisStep.StepName, steps[^1].GetProperty("step").GetString());
        using (var overHttp = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/pipelines/runs/analysed-over-http/analysis")))
        {
            Assert.Equal(HttpStatusCode.OK, overHttp.StatusCode);
            var report = JsonSerializer.Deserialize<AnalysisReport>(await overHttp.Content.ReadAsStringAsync(), PipelineJson.Options)!;
            Assert.Equal(("analysed-over-http", "analysed-run"), (report.RunId, report.RecommendationsRunId));
            Assert.Equal(written.Metrics, report.Metrics); // the same agendas and the same scans
        }

        using var unknown = await server.Client.GetAsync(new Uri(server.BaseUri, "/api/pipelines/runs/nobody/analysis"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, await server.StopAsync());
    }

    private static async Task<int> Pa(params string[] args)
    {
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(args, new StringWriter(), error);
        Assert.True(exitCode == 0, $"pa {string.Join(' ', args)} failed: {error}");
        return exitCode;
    }
}
