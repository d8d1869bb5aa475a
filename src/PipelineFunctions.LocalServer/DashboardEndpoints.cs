using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// The dashboard: static files embedded in the assembly (the run list, a run's page with its charts, and Chart.js from
/// the npm package the build embeds), served with a content security policy that allows only this origin's script,
/// style and fetches (no inline script, no CDN), so data can never become code in the page.
/// </summary>
internal static class DashboardEndpoints
{
    private const string ResourcePrefix = "PipelineFunctions.LocalServer.Dashboard.";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly (string Route, string File, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
        // One page for every run: its script takes the instance id from the path.
        ("/runs/{id}", "run.html", "text/html; charset=utf-8"),
        ("/run.js", "run.js", "text/javascript; charset=utf-8"),
        // Model monitoring: each event's ranker scores over its retrainings.
        ("/models", "models.html", "text/html; charset=utf-8"),
        ("/models.js", "models.js", "text/javascript; charset=utf-8"),
        ("/lib/chart.umd.min.js", "chart.umd.min.js", "text/javascript; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (route, file, contentType) in Files)
        {
            var content = Load(file);
            app.MapGet(route, (HttpContext http) =>
            {
                http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Bytes(content, contentType);
            });
        }
    }

    private static byte[] Load(string file)
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"the dashboard file {file} is not embedded in the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
