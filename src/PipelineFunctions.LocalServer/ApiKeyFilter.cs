using Microsoft.AspNetCore.Http;
using PipelineFunctions.LocalEngine.Management;

namespace PipelineFunctions.LocalServer;

/// <summary>Refuses a request without the right <see cref="ApiKey.HeaderName"/> header with a 401 problem, before the handler runs.</summary>
internal sealed class ApiKeyFilter(ApiKey key) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Request.Headers[ApiKey.HeaderName];
        // Exactly one header value: a repeated header is refused rather than guessed at.
        if (headers.Count != 1 || !key.Matches(headers[0]))
            return Problems.Unauthorized(headers.Count == 0
                ? $"the {ApiKey.HeaderName} header is missing"
                : $"the {ApiKey.HeaderName} header does not hold the server's API key");
        return await next(context);
    }
}
