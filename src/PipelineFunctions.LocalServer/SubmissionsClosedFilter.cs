using System.Globalization;
using Microsoft.AspNetCore.Http;
using PipelineFunctions.LocalEngine.Orchestration;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Once the server is shutting down (the runner drains), a run submission is answered 503 with a problem that says so
/// and a Retry-After, before anything is read or created; the read routes are not filtered and keep answering.
/// </summary>
internal sealed class SubmissionsClosedFilter(EmbeddedOrchestrationRunner runner, ServeSettings settings) : IEndpointFilter
{
    public const string Title = "The server is shutting down.";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        runner.IsShuttingDown ? Answer(context.HttpContext, settings.ShutdownGrace) : await next(context);

    /// <summary>The 503 answer; also used when a submission raced the start of the shutdown past this filter.</summary>
    public static IResult Answer(HttpContext http, TimeSpan grace)
    {
        // The server is gone for at least the grace period; a restart by hand or by a supervisor takes a few seconds more.
        var retryAfter = (int)Math.Ceiling(grace.TotalSeconds) + 10;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(new RunnerShuttingDownException().Message
            + "; runs in flight are left resumable and continue when it restarts",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: Title);
    }
}
