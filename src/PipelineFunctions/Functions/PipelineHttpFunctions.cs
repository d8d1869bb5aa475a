using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// The pipeline's HTTP API, shaped like the local host's: submit a run (answered with Durable's management payload,
/// <c>statusQueryGetUri</c> and friends) and read a run's summary. Status, listing and termination are Durable's own
/// management API (<c>/runtime/webhooks/durabletask/instances</c>). Function keys guard both routes.
/// </summary>
public sealed class PipelineHttpFunctions(IPipelineServices services, TimeProvider time, ILogger<PipelineHttpFunctions> logger)
{
    [Function("StartPipelineRun")]
    public async Task<HttpResponseData> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pipelines/{eventName}/runs")] HttpRequestData request,
        string eventName,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        PipelineRunRequest runRequest;
        string? requestedId;
        try
        {
            (runRequest, requestedId) = await RunSubmissions.ReadAsync(eventName, request.Body, services.LoadConfig, context.CancellationToken);
        }
        catch (PipelineInputException e)
        {
            return await ProblemAsync(request, HttpStatusCode.BadRequest, "The request is not valid.", $"{e.Field ?? e.File}: {e.Problem}", e.Field ?? e.File);
        }

        var instanceId = requestedId ?? RunSubmissions.NewRunId(time);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, context.CancellationToken) is not null)
            return await ProblemAsync(request, HttpStatusCode.Conflict, "Conflict.", $"an instance with id '{instanceId}' exists already", "instanceId");
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestration.Name, new PipelineRunInput(runRequest, instanceId),
                new StartOrchestrationOptions(instanceId), context.CancellationToken);
        }
        catch (Exception e) when (WeeklyRuns.IsAlreadyExists(e))
        {
            return await ProblemAsync(request, HttpStatusCode.Conflict, "Conflict.", $"an instance with id '{instanceId}' exists already", "instanceId");
        }
        using (PipelineTelemetry.Begin(logger, instanceId, instanceId, runRequest.Event, step: null))
            logger.LogInformation("Run {RunId} of event {Event} scheduled", instanceId, runRequest.Event);
        return await client.CreateCheckStatusResponseAsync(request, instanceId, context.CancellationToken);
    }

    [Function("GetPipelineRun")]
    public async Task<HttpResponseData> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "pipelines/runs/{id}")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, context.CancellationToken);
        if (instance is null || instance.Name != PipelineOrchestration.Name)
            return await ProblemAsync(request, HttpStatusCode.NotFound, "Instance not found.", $"no pipeline run with id '{id}'", null);
        if (RunSummaries.Find(instance.RuntimeStatus.ToString(), instance.SerializedOutput, instance.SerializedCustomStatus) is not { } summary)
            return await ProblemAsync(request, HttpStatusCode.NotFound, "No run summary.",
                $"'{id}' has no run summary ({instance.RuntimeStatus}); its status is at /runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(id)}", null);
        // The summary as the orchestration wrote it, passed through unchanged.
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(summary, context.CancellationToken);
        return response;
    }

    /// <summary>An RFC 7807 problem document, with <c>errors</c> naming the request field when there is one.</summary>
    private static async Task<HttpResponseData> ProblemAsync(HttpRequestData request, HttpStatusCode status, string title, string detail, string? field)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/problem+json; charset=utf-8");
        var problem = new Dictionary<string, object?>
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15",
            ["title"] = title,
            ["status"] = (int)status,
            ["detail"] = detail,
        };
        if (field is not null) problem["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        await response.WriteStringAsync(JsonSerializer.Serialize(problem));
        return response;
    }
}
