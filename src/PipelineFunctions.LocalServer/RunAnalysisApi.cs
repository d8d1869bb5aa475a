using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Analysis;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Management;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// A run's post-show analysis (its analysis.json, checked against the step's manifest) for the run page's chart; 404 when the
/// run has none yet. A read route like the charts': no key.
/// </summary>
internal static class RunAnalysisApi
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/pipelines/runs/{id}/analysis", AnalysisAsync);

    private static async Task<IResult> AnalysisAsync(string id, LocalHost host, CancellationToken cancellationToken)
    {
        var instance = await DurableManagementApi.FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        var eventName = instance.Event ?? (await host.SummaryAsync(instance, cancellationToken))?.Event;
        var store = host.Services.Store;
        if (eventName is null
            || !ArtifactPath.TryParse($"runs/{eventName}/{instance.InstanceId}/{PostShowAnalysisStep.StepName}/{ArtifactManifest.FileName}",
                out var manifestPath, out _)
            || !await store.ExistsAsync(manifestPath, cancellationToken))
            return TypedResults.Problem($"'{id}' has no post-show analysis: run pa analyse --run-id {id} once this year's scans are in",
                statusCode: StatusCodes.Status404NotFound, title: "No post-show analysis.");
        try
        {
            var manifest = await ArtifactReader.ReadManifestAsync(store, store.GetUri(manifestPath), cancellationToken);
            var report = await ArtifactReader.ReadJsonAsync<AnalysisReport>(store, manifest.Output(PostShowAnalysisStep.AnalysisJson),
                cancellationToken);
            return TypedResults.Json(report, PipelineJson.Options);
        }
        catch (Exception e) when (e is PipelineInputException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            // A damaged or half-replaced analysis: say so, as a problem, rather than as a server error.
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "The post-show analysis cannot be read.");
        }
    }
}
