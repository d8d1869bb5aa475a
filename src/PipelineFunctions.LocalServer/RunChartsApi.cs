using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Reporting;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Management;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The figures of the dashboard's run page, built here from the run's history, summary and artifacts (Core's
/// <see cref="RunChartsBuilder"/>), so the page never reads raw exports. A read route like the summary's: no key.
/// </summary>
internal static class RunChartsApi
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/pipelines/runs/{id}/charts", ChartsAsync);

    private static async Task<IResult> ChartsAsync(string id, LocalHost host, CancellationToken cancellationToken)
    {
        var instance = await DurableManagementApi.FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        var summary = await host.SummaryAsync(instance, cancellationToken);
        var activities = (await host.RunStore.GetHistoryAsync(instance.InstanceId, cancellationToken))
            .Where(e => e.Kind == "activity")
            .Select(e => new ActivityRun(e.Name, e.StartedAt, e.RecordedAt, e.ResultJson, e.FailureType is not null))
            .ToList();
        var charts = await RunChartsBuilder.BuildAsync(host.Services.Store, instance.InstanceId, summary?.Event ?? instance.Event ?? "",
            instance.RuntimeStatus, instance.CreatedTime, summary, activities, cancellationToken);
        return TypedResults.Json(charts, PipelineJson.Options);
    }
}
