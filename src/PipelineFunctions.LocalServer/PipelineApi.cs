using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Management;
using PipelineFunctions.LocalEngine.Orchestration;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The pipeline's own routes: submit a run (answered with Durable's management payload) and read a run's summary.
/// Reading and validation are Core's submission contract (through <see cref="SubmissionValidator"/>), execution is the
/// runner's; this maps HTTP to them.
/// </summary>
internal static class PipelineApi
{
    public static void Map(IEndpointRouteBuilder app, ApiKeyFilter keyFilter)
    {
        app.MapPost("/api/pipelines/{event}/runs", SubmitAsync).AddEndpointFilter(keyFilter).AddEndpointFilter<SubmissionsClosedFilter>();
        app.MapGet("/api/pipelines/runs/{id}", SummaryAsync);
    }

    private static async Task<IResult> SubmitAsync(string @event, HttpRequest http, SubmissionValidator validator, LocalHost host, TimeProvider time,
        ServeSettings settings, CancellationToken cancellationToken)
    {
        RunSubmission submission;
        PipelineRunRequest request;
        try
        {
            // Core's contract, the same as the Azure host's: unknown fields, wrong JSON types and bad values are 400s naming the field.
            submission = await RunSubmissionReader.ReadAsync(http.Body, cancellationToken);
            request = validator.Validate(@event, submission);
        }
        catch (PipelineInputException e)
        {
            return Problems.Invalid(e);
        }

        var id = submission.InstanceId ?? RunIds.New(time);
        try
        {
            await host.Runner.StartAsync(request, id, cancellationToken);
        }
        catch (InstanceExistsException e)
        {
            return Problems.Conflict($"{e.Message}; query it at {ManagementPayload.StatusUri(http, id)}");
        }
        catch (RunnerShuttingDownException)
        {
            // The shutdown began while this request was past the filter: nothing was created.
            return SubmissionsClosedFilter.Answer(http.HttpContext, settings.ShutdownGrace);
        }
        catch (PipelineInputException e)
        {
            // The runner's own last check of the request (e.g. the instance id); nothing was created.
            return Problems.Invalid(e);
        }
        var payload = ManagementPayload.For(http, id);
        return TypedResults.Accepted(payload.StatusQueryGetUri, payload);
    }

    private static async Task<IResult> SummaryAsync(string id, LocalHost host, CancellationToken cancellationToken)
    {
        var instance = await DurableManagementApi.FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        if (await host.SummaryJsonAsync(instance, cancellationToken) is not { } summary)
        {
            var status = $"{ManagementPayload.InstancesPath}/{Uri.EscapeDataString(id)}";
            return TypedResults.Problem($"'{id}' has no run summary ({instance.RuntimeStatus}); its status is at {status}",
                statusCode: StatusCodes.Status404NotFound, title: "No run summary.");
        }
        // The summary as the orchestration wrote it (a completed run's output, a failed run's artifact), unchanged.
        return TypedResults.Text(summary, "application/json");
    }
}
