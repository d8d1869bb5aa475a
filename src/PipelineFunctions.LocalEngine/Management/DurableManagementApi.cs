using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Management;

/// <summary>
/// Durable Functions' instance management API (status, list, terminate, raise event, purge) over the local run store,
/// with Durable's routes, shapes and status codes, so one client script works against both hosts.
/// </summary>
public static class DurableManagementApi
{
    public const int DefaultTop = 100, MaxTop = 1000, MaxReasonLength = 1000;

    /// <param name="mutationFilter">Guards the routes that change an instance (the host's API key check).</param>
    public static void Map(IEndpointRouteBuilder app, IEndpointFilter mutationFilter)
    {
        const string instances = ManagementPayload.InstancesPath;
        app.MapGet(instances, ListAsync);
        app.MapGet(instances + "/{id}", StatusAsync);
        app.MapPost(instances + "/{id}/terminate", TerminateAsync).AddEndpointFilter(mutationFilter);
        app.MapPost(instances + "/{id}/raiseEvent/{eventName}", RaiseEventAsync).AddEndpointFilter(mutationFilter);
        app.MapDelete(instances + "/{id}", PurgeAsync).AddEndpointFilter(mutationFilter);
    }

    /// <summary>The instance, or null when there is none (a blank id included: the store refuses those).</summary>
    public static async Task<RunInstance?> FindAsync(IRunStore store, string id, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(id) ? null : await store.GetAsync(id, cancellationToken);

    /// <summary>
    /// 202 while Pending or Running (with Location to poll), 200 once finished (500 for a failed one when
    /// returnInternalServerErrorOnFailure=true, as Durable does), 404 when unknown.
    /// </summary>
    private static async Task<IResult> StatusAsync(string id, HttpContext http, LocalHost host, bool? showInput,
        bool? returnInternalServerErrorOnFailure, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        var status = DurableStatus.From(instance);
        if (showInput == false) status = status with { Input = null };
        if (instance.RuntimeStatus == RuntimeStatuses.Failed && returnInternalServerErrorOnFailure == true)
            return TypedResults.Json(status, PipelineJson.Options, statusCode: StatusCodes.Status500InternalServerError);
        if (RuntimeStatuses.IsFinal(instance.RuntimeStatus)) return TypedResults.Json(status, PipelineJson.Options);
        http.Response.Headers.Location = ManagementPayload.StatusUri(http.Request, id);
        http.Response.Headers.RetryAfter = "2";
        return TypedResults.Json(status, PipelineJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Durable's list query: runtimeStatus (comma-separated), createdTimeFrom, createdTimeTo, top, showInput; plus event.</summary>
    private static async Task<IResult> ListAsync(HttpRequest http, LocalHost host, CancellationToken cancellationToken)
    {
        var query = http.Query;
        var statuses = new List<string>();
        foreach (var part in query["runtimeStatus"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            // Durable parses the names case-insensitively; the store holds them as the API spells them.
            var status = RuntimeStatuses.All.FirstOrDefault(s => s.Equals(part, StringComparison.OrdinalIgnoreCase));
            if (status is null)
                return Problems.Invalid("runtimeStatus", $"'{part}' is not a runtime status ({string.Join(", ", RuntimeStatuses.All)})");
            statuses.Add(status);
        }
        if (!TryTime(query["createdTimeFrom"], out var from))
            return Problems.Invalid("createdTimeFrom", "is not an ISO 8601 time (e.g. 2026-01-01T00:00:00Z)");
        if (!TryTime(query["createdTimeTo"], out var to))
            return Problems.Invalid("createdTimeTo", "is not an ISO 8601 time (e.g. 2026-01-31T23:59:59Z)");
        var top = DefaultTop;
        if (query["top"].ToString() is { Length: > 0 } topText
            && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
            return Problems.Invalid("top", $"must be a whole number from 1 to {MaxTop}");
        var eventName = query["event"].ToString() is { Length: > 0 } e ? e : null;

        var showInput = !string.Equals(query["showInput"], "false", StringComparison.OrdinalIgnoreCase);

        var runs = await host.RunStore.ListAsync(new RunQuery(statuses.Count > 0 ? statuses : null, from, to, top, eventName), cancellationToken);
        return TypedResults.Json(runs.Select(r => showInput ? DurableStatus.From(r) : DurableStatus.From(r) with { Input = null }),
            PipelineJson.Options);
    }

    /// <summary>202 accepted; 404 unknown; 410 when it has finished already (as Durable answers).</summary>
    private static async Task<IResult> TerminateAsync(string id, string? reason, LocalHost host, CancellationToken cancellationToken)
    {
        if (reason is { Length: > MaxReasonLength }) return Problems.Invalid("reason", $"is longer than {MaxReasonLength} characters");
        var instance = await FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        if (RuntimeStatuses.IsFinal(instance.RuntimeStatus)
            || !await host.Runner.TerminateAsync(id, reason ?? "terminated through the HTTP API", cancellationToken))
            return Problems.Gone($"'{id}' is {(await host.RunStore.GetAsync(id, cancellationToken))?.RuntimeStatus ?? "gone"}; " +
                "only a Pending or Running instance can be terminated");
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>
    /// Accepted like Durable does (404 unknown, 410 finished), but the pipeline orchestration waits for no external
    /// event, so the event has no effect; the route exists because the management payload names it.
    /// </summary>
    private static async Task<IResult> RaiseEventAsync(string id, string eventName, LocalHost host, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(host.RunStore, id, cancellationToken);
        if (instance is null) return Problems.NotFound(id);
        if (RuntimeStatuses.IsFinal(instance.RuntimeStatus)) return Problems.Gone($"'{id}' is {instance.RuntimeStatus}");
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>200 with the count deleted; 404 unknown; 409 while Pending or Running (terminate it first).</summary>
    private static async Task<IResult> PurgeAsync(string id, LocalHost host, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id)) return Problems.NotFound(id);
        try
        {
            return await host.Runner.PurgeAsync(id, cancellationToken)
                ? TypedResults.Ok(new { instancesDeleted = 1 })
                : Problems.NotFound(id);
        }
        catch (PipelineInputException e)
        {
            return Problems.Conflict(e.Problem);
        }
    }

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues value, out DateTime? time)
    {
        time = null;
        if (value.ToString() is not { Length: > 0 } text) return true;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            return false;
        time = parsed;
        return true;
    }
}
