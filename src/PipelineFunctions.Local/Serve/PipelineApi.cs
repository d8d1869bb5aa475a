using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Orchestration;

namespace PipelineFunctions.Local.Serve;

/// <summary>
/// The pipeline's own routes: submit a run (answered with Durable's management payload) and read a run's summary.
/// Validation and execution live in <see cref="SubmissionValidator"/> and the runner; this maps HTTP to them.
/// </summary>
public static class PipelineApi
{
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    private static readonly string[] Fields =
        typeof(RunSubmission).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    public static void Map(IEndpointRouteBuilder app, ApiKeyFilter keyFilter)
    {
        app.MapPost("/api/pipelines/{event}/runs", SubmitAsync).AddEndpointFilter(keyFilter);
        app.MapGet("/api/pipelines/runs/{id}", SummaryAsync);
    }

    private static async Task<IResult> SubmitAsync(string @event, HttpRequest http, SubmissionValidator validator, LocalHost host, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (submission, problem) = await ReadAsync(http, cancellationToken);
        if (submission is null) return problem!;

        PipelineRunRequest request;
        try
        {
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
        catch (PipelineInputException e)
        {
            // The runner's own last check of the request (e.g. the instance id); nothing was created.
            return Problems.Invalid(e);
        }
        var payload = ManagementPayload.For(http, id);
        return TypedResults.Accepted(payload.StatusQueryGetUri, payload);
    }

    /// <summary>
    /// The body as a <see cref="RunSubmission"/>, or a 400 problem naming the field. Unknown fields are refused so a
    /// misspelt option ("retrian") is an error rather than silently ignored.
    /// </summary>
    private static async Task<(RunSubmission? Submission, IResult? Problem)> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        const string expected = "a JSON object is required: {\"input\": \"<folder under the inputs root>\", ...}";
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid("body", $"not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}); {expected}"));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, Problems.Invalid("body", expected));
            foreach (var property in document.RootElement.EnumerateObject())
                if (!Fields.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                    return (null, Problems.Invalid(property.Name, $"unknown field (fields: {string.Join(", ", Fields)})"));
            try
            {
                return (document.RootElement.Deserialize<RunSubmission>(BodyJson), null);
            }
            catch (JsonException e)
            {
                var field = e.Path is null or "$" ? "body" : e.Path.TrimStart('$', '.');
                return (null, Problems.Invalid(field, "has the wrong JSON type (input, graphEnvironment, instanceId: string; incremental, force, retrain: boolean; steps: list of strings; parameters: object)"));
            }
        }
    }

    private static async Task<IResult> SummaryAsync(string id, LocalHost host, CancellationToken cancellationToken)
    {
        var instance = await DurableManagementApi.FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        if (await host.SummaryJsonAsync(instance, cancellationToken) is not { } summary)
            return TypedResults.Problem($"'{id}' has no run summary ({instance.RuntimeStatus}); its status is at {ManagementPayload.InstancesPath}/{Uri.EscapeDataString(id)}",
                statusCode: StatusCodes.Status404NotFound, title: "No run summary.");
        // The summary as the orchestration wrote it (a completed run's output, a failed run's artifact), unchanged.
        return TypedResults.Text(summary, "application/json");
    }
}
