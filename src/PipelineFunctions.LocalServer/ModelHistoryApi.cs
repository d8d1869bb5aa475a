using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.LocalEngine;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Model monitoring for the dashboard's models page: each event's retraining history from its model registry (both models'
/// holdout scores per retraining, oldest first). A read route like the charts': no key.
/// </summary>
internal static class ModelHistoryApi
{
    public const string Route = "/api/models/history";

    /// <summary>One event's retrainings, as the registry recorded them.</summary>
    public sealed record EventHistory(string Event, string? CurrentVersion, IReadOnlyList<PromotionDecision> Retrainings);

    public static void Map(IEndpointRouteBuilder app, EventCatalog events)
    {
        app.MapGet(Route, (LocalHost host, CancellationToken cancellationToken) => Answer(async () =>
        {
            var histories = new List<EventHistory>();
            foreach (var name in events.Names()) histories.Add(await HistoryAsync(host, name, cancellationToken));
            return histories;
        }));
        app.MapGet("/api/models/{event}/history", (string @event, LocalHost host, CancellationToken cancellationToken) =>
            events.Contains(@event)
                ? Answer(() => HistoryAsync(host, @event, cancellationToken))
                : Task.FromResult<IResult>(TypedResults.Problem($"no event '{@event}' (no config/events/{@event}.yaml)",
                    statusCode: StatusCodes.Status404NotFound, title: "Event not found.")));
    }

    /// <summary>A registry file that cannot be read is named in a problem answer, not left to the generic 500.</summary>
    private static async Task<IResult> Answer<T>(Func<Task<T>> read)
    {
        try
        {
            return TypedResults.Json(await read(), PipelineJson.Options);
        }
        catch (PipelineInputException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "The model registry cannot be read.");
        }
    }

    private static async Task<EventHistory> HistoryAsync(LocalHost host, string eventName, CancellationToken cancellationToken)
    {
        var registry = new RankingModelRegistry(host.Services.Store, eventName);
        return new EventHistory(eventName, (await registry.CurrentAsync(cancellationToken))?.Version, await registry.HistoryAsync(cancellationToken));
    }
}
