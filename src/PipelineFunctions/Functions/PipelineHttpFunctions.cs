using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Hosting;

namespace PipelineFunctions.Functions;

/// <summary>
/// The pipeline's HTTP API, the same as the local host's: submit a run (202 with Durable's management payload,
/// <c>statusQueryGetUri</c> and friends; 400 naming the field; 409 when the instance id exists) and read a run's
/// summary, completed or failed. Status, listing and termination are Durable's own management API
/// (<c>/runtime/webhooks/durabletask/instances</c>). Function keys guard both routes.
/// </summary>
public sealed class PipelineHttpFunctions(PipelineRunStarter starter, IPipelineServices services)
{
    [Function("StartPipelineRun")]
    public async Task<HttpResponseData> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pipelines/{eventName}/runs")] HttpRequestData request,
        string eventName,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var result = await starter.SubmitAsync(client, eventName, request.Body, context.CancellationToken);
        return result switch
        {
            { Status: RunStartStatus.Started } => await client.CreateCheckStatusResponseAsync(request, result.InstanceId!, context.CancellationToken),
            { Status: RunStartStatus.AlreadyExists } => await ProblemAsync(request, HttpStatusCode.Conflict, "Conflict.",
                $"an instance with id '{result.InstanceId}' exists already", "instanceId"),
            _ => await ProblemAsync(request, HttpStatusCode.BadRequest, "The request is not valid.",
                $"{result.Problem!.Field ?? result.Problem.File}: {result.Problem.Problem}", result.Problem.Field ?? result.Problem.File),
        };
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
        var summary = await RunSummaries.FindJsonAsync(services.Store, instance.RuntimeStatus.ToString(), instance.SerializedOutput,
            instance.SerializedCustomStatus, context.CancellationToken);
        if (summary is null)
            return await ProblemAsync(request, HttpStatusCode.NotFound, "No run summary.",
                $"'{id}' has no run summary ({instance.RuntimeStatus}); " +
                $"its status is at /runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(id)}", null);
        // The summary as the orchestration wrote it (a completed run's output, a failed run's artifact), unchanged.
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(summary, context.CancellationToken);
        return response;
    }

    /// <summary>An RFC 9457 problem document, with <c>errors</c> naming the request field when there is one.</summary>
    private static async Task<HttpResponseData> ProblemAsync(HttpRequestData request, HttpStatusCode status, string title, string detail,
        string? field)
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
