using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineFunctions.Infrastructure.Tests.Support;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>
/// A loopback HTTP server (127.0.0.1, a free port) that answers like the Azure OpenAI embeddings endpoint:
/// <c>POST /openai/deployments/{deployment}/embeddings?api-version=...</c>. By default every request succeeds with one
/// deterministic, deliberately non-normalised vector per input (its length <see cref="DefaultDimensions"/> or the
/// requested dimensions); <see cref="Script"/> can answer a given request number (1-based) otherwise.
/// </summary>
public sealed class FakeAzureOpenAIServer : LoopbackHttpServer
{
    public const int DefaultDimensions = 8;
    public const string ModelName = "text-embedding-3-small";

    public Uri Endpoint => Root;

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

    protected override async Task AnswerAsync(HttpListenerContext context, int number)
    {
        var request = await ReadAsync(context.Request, number);
        Requests.Enqueue(request);
        var scripted = Script(number);
        if (scripted is { Delay: var delay } && delay > TimeSpan.Zero)
            await Task.Delay(delay, Stopping);

        if (scripted is null or { Status: 200, Body: null })
            await WriteAsync(context.Response, 200, Success(request), headers: null);
        else
            await WriteAsync(context.Response, scripted.Status, scripted.Body ?? "", scripted.Headers);
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
}
