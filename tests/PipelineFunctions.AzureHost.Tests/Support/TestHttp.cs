using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>
/// An HTTP request as the Functions worker hands it to an HTTP-triggered function (HttpRequestData on a
/// FunctionContext whose services are the app's), so a test calls the app's own HTTP functions and reads their
/// responses, status, headers and body, as a client would.
/// </summary>
public static class TestHttp
{
    public static HttpRequestData Post(IServiceProvider services, string url, string body) =>
        new Request(new Context(services), "POST", new Uri(url), body);

    public static HttpRequestData Get(IServiceProvider services, string url) => new Request(new Context(services), "GET", new Uri(url), "");

    public static FunctionContext ContextOf(HttpRequestData request) => request.FunctionContext;

    public static string BodyOf(HttpResponseData response)
    {
        response.Body.Position = 0;
        return new StreamReader(response.Body, Encoding.UTF8).ReadToEnd();
    }

    private sealed class Request(FunctionContext context, string method, Uri url, string body) : HttpRequestData(context)
    {
        public override Stream Body { get; } = new MemoryStream(Encoding.UTF8.GetBytes(body));

        public override HttpHeadersCollection Headers { get; } = new([new KeyValuePair<string, string>("Content-Type", "application/json")]);

        public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

        public override Uri Url { get; } = url;

        public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

        public override string Method { get; } = method;

        public override HttpResponseData CreateResponse() => new Response(FunctionContext);
    }

    private sealed class Response(FunctionContext context) : HttpResponseData(context)
    {
        public override HttpStatusCode StatusCode { get; set; }

        public override HttpHeadersCollection Headers { get; set; } = [];

        public override Stream Body { get; set; } = new MemoryStream();

        public override HttpCookies Cookies => throw new NotSupportedException("the pipeline's functions set no cookies");
    }

    private sealed class Context(IServiceProvider services) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

        public override string FunctionId => "test";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();

        public override CancellationToken CancellationToken => CancellationToken.None;
    }
}
