using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>
/// A loopback HTTP server (127.0.0.1, a free port) that answers like the Azure OpenAI embeddings endpoint:
/// <c>POST /openai/deployments/{deployment}/embeddings?api-version=...</c>. By default every request succeeds with one
/// deterministic, deliberately non-normalised vector per input (its length <see cref="DefaultDimensions"/> or the
/// requested dimensions); <see cref="Script"/> can answer a given request number (1-based) otherwise.
/// </summary>
public sealed class FakeAzureOpenAIServer : IAsyncDisposable
{
    public const int DefaultDimensions = 8;
    public const string ModelName = "text-embedding-3-small";

    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();
    private int _requestCount;

    public FakeAzureOpenAIServer()
    {
        (_listener, Endpoint) = StartOnFreePort();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>Request number (1-based) to the answer to give instead of success; null: success.</summary>
    public Func<int, ScriptedAnswer?> Script { get; set; } = _ => null;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The vector the server returns for <paramref name="text"/>, before the client normalises it.</summary>
    public static float[] RawVectorFor(string text, int dimensions)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));
        // Values in [-3, 3): far from unit length, so normalisation by the client is visible.
        return Enumerable.Range(0, dimensions).Select(i => (hash[i % hash.Length] - 128) / 128f * 3f + i * 0.01f).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException) { }
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerAsync(context)); // concurrently: a delayed answer must not hold up the retry behind it
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var number = Interlocked.Increment(ref _requestCount);
            var request = await ReadAsync(context.Request, number);
            Requests.Enqueue(request);
            var scripted = Script(number);
            if (scripted is { Delay: var delay } && delay > TimeSpan.Zero)
                await Task.Delay(delay, _stopping.Token);

            if (scripted is null or { Status: 200, Body: null })
                await WriteAsync(context.Response, 200, Success(request), headers: null);
            else
                await WriteAsync(context.Response, scripted.Status, scripted.Body ?? "", scripted.Headers);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up on this request (timeout) or the server is stopping.
        }
    }

    private static async Task<ReceivedRequest> ReadAsync(HttpListenerRequest request, int number)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())?.AsObject() ?? [];
        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(i => i!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        };
        return new ReceivedRequest(number, request.HttpMethod, request.Url!.AbsolutePath, request.QueryString["api-version"],
            request.Headers["api-key"],
            inputs, body["dimensions"]?.GetValue<int>(), body["encoding_format"]?.GetValue<string>(), DateTimeOffset.UtcNow);
    }

    private static string Success(ReceivedRequest request)
    {
        var dimensions = request.Dimensions ?? DefaultDimensions;
        var base64 = request.EncodingFormat == "base64"; // the OpenAI .NET library asks for base64 by default
        var data = new JsonArray();
        // Answered in reverse order, as the service is free to: the client must place each vector by its index.
        for (var i = request.Inputs.Count - 1; i >= 0; i--)
        {
            var vector = RawVectorFor(request.Inputs[i], dimensions);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()))
                : new JsonArray(vector.Select(x => (JsonNode)JsonValue.Create(x)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        var tokens = request.Inputs.Sum(t => t.Split(' ').Length);
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = ModelName,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }.ToJsonString(AsTheServiceWritesIt);
    }

    /// <summary>"+" and "/" of base64 unescaped, as the service writes them (the default encoder writes "\u002B").</summary>
    private static readonly JsonSerializerOptions AsTheServiceWritesIt = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task WriteAsync(HttpListenerResponse response, int status, string body, IReadOnlyDictionary<string, string>? headers)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) response.Headers[name] = value;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static (HttpListener, Uri) StartOnFreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();

            var endpoint = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(endpoint.AbsoluteUri);
            try
            {
                listener.Start();
                return (listener, endpoint);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // another process took the port between probe and start: try another
            }
        }
    }
}
