using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI.Embeddings;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using AIEmbeddingOptions = Microsoft.Extensions.AI.EmbeddingGenerationOptions;
using OpenAIEmbeddingOptions = OpenAI.Embeddings.EmbeddingGenerationOptions;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// Session embeddings from an Azure OpenAI embedding deployment (embeddings.generator: azure_openai), as an
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>. Inputs go in batches of at most
/// <see cref="AzureOpenAIEmbeddingSettings.MaxBatchSize"/>, in order; vectors come back L2-normalised exactly.
/// </summary>
/// <remarks>
/// <para>
/// Polly is the one retry layer: the SDK's own retries are switched off, so <see cref="AzureOpenAIEmbeddingSettings.MaxAttempts"/>
/// is the number of requests a batch can cost. Retried: 408, 429 and 5xx answers, per-request timeouts and connection
/// failures, after the service's Retry-After (retry-after-ms, x-ms-retry-after-ms or Retry-After) when it gives one, else
/// after exponential back-off with jitter capped at <see cref="AzureOpenAIEmbeddingSettings.MaxRetryDelay"/>. Anything
/// else (400, 401, 404 ...) fails at once. Failures surface as <see cref="EmbeddingServiceException"/>.
/// </para>
/// <para>
/// Written against the <see cref="EmbeddingClient"/> of Azure.AI.OpenAI 2.1.0 rather than Microsoft.Extensions.AI.OpenAI's
/// adapter (AsIEmbeddingGenerator): its 10.11.0 needs the OpenAI library 2.14, while Azure.AI.OpenAI 2.1.0 is built on
/// OpenAI 2.1.0, and mixing them is a combination neither package was tested with. The adapter would be a few lines of
/// what this class does anyway.
/// </para>
/// </remarks>
internal sealed class AzureOpenAISessionEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "azure.ai.openai";

    /// <summary>Longer than any request's Polly timeout, so that timeout (retried, counted) always fires before the SDK's.</summary>
    private static readonly TimeSpan SdkTimeoutMargin = TimeSpan.FromSeconds(5);

    private readonly AzureOpenAIEmbeddingSettings _settings;
    private readonly EmbeddingClient _client;
    private readonly ResiliencePipeline _resilience;
    private readonly ILogger _logger;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _host;

    /// <param name="settings">Validated here; see <see cref="AzureOpenAIEmbeddingSettings.Validate"/>.</param>
    /// <param name="credential">Used when the settings have no key; null: a <c>DefaultAzureCredential</c>.</param>
    public AzureOpenAISessionEmbedder(AzureOpenAIEmbeddingSettings settings, TokenCredential? credential = null,
        ILogger<AzureOpenAISessionEmbedder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _host = settings.Endpoint.Authority;

        var options = new AzureOpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.RequestTimeout + SdkTimeoutMargin,
        };
        if (settings.ApiVersion is { } apiVersion)
            options.AddPolicy(new ApiVersionPolicy(apiVersion), PipelinePosition.PerCall);
        var client = settings.ApiKey is { } key
            ? new AzureOpenAIClient(settings.Endpoint, new ApiKeyCredential(key), options)
            : new AzureOpenAIClient(settings.Endpoint, credential ?? new DefaultAzureCredential(), options);
        _client = client.GetEmbeddingClient(settings.Deployment);
        _resilience = BuildResiliencePipeline();
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, settings.Endpoint, settings.Deployment, settings.Dimensions);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, AIEmbeddingOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        for (var i = 0; i < inputs.Count; i++)
            if (string.IsNullOrEmpty(inputs[i])) // the service answers 400 to the whole batch: say which one instead
                throw new ArgumentException($"Input {i} is empty: Azure OpenAI cannot embed an empty text.", nameof(values));

        var dimensions = options?.Dimensions ?? _settings.Dimensions;
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long inputTokens = 0, totalTokens = 0;
        foreach (var batch in inputs.Chunk(_settings.MaxBatchSize))
        {
            var response = await SendWithRetriesAsync(batch, dimensions, cancellationToken).ConfigureAwait(false);
            var modelId = string.IsNullOrEmpty(response.Model) ? _settings.Deployment : response.Model;
            foreach (var vector in VectorsInInputOrder(response, batch.Length, dimensions))
                result.Add(new Embedding<float>(vector) { ModelId = modelId });
            inputTokens += response.Usage?.InputTokenCount ?? 0;
            totalTokens += response.Usage?.TotalTokenCount ?? 0;
        }
        result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = totalTokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
        if (serviceType == typeof(EmbeddingClient)) return _client;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The SDK client shares its HTTP pipeline process-wide; nothing here to release.</summary>
    public void Dispose()
    {
    }

    private async Task<OpenAIEmbeddingCollection> SendWithRetriesAsync(string[] batch, int? dimensions, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await _resilience.ExecuteAsync(async token =>
            {
                attempts++;
                // New options per attempt: the SDK writes the input and model into the options object it is given.
                var requestOptions = new OpenAIEmbeddingOptions { Dimensions = dimensions };
                var answer = await _client.GenerateEmbeddingsAsync(batch, requestOptions, token).ConfigureAwait(false);
                return answer.Value;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is ClientResultException or TimeoutRejectedException or HttpRequestException or IOException)
        {
            throw Failure(e, attempts);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            // A 200 whose body the SDK cannot read: not retried, the same request would get the same answer.
            throw InvalidAnswer($"the SDK could not read it ({WithoutKey(e.Message)})", attempts, e);
        }
    }

    private ResiliencePipeline BuildResiliencePipeline()
    {
        var builder = new ResiliencePipelineBuilder();
        if (_settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _settings.MaxAttempts - 1,
                ShouldHandle = new PredicateBuilder()
                    .Handle<ClientResultException>(e => IsTransient(e.Status))
                    .Handle<TimeoutRejectedException>()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _settings.RetryBaseDelay,
                MaxDelay = _settings.MaxRetryDelay,
                DelayGenerator = args => ValueTask.FromResult(ServiceRetryDelay(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    _logger.LogWarning("Azure OpenAI embeddings at {Host}, deployment {Deployment}: " +
                        "attempt {Attempt} failed ({Failure}); retrying in {Delay}",
                        _host, _settings.Deployment, args.AttemptNumber + 1, Describe(args.Outcome.Exception), args.RetryDelay);
                    return default;
                },
            });
        }
        // Inside the retry, so each attempt gets the full timeout and a timed-out attempt is retried.
        return builder.AddTimeout(_settings.RequestTimeout).Build();
    }

    /// <summary>0 is System.ClientModel's status for "no response" (connection refused, reset).</summary>
    private static bool IsTransient(int status) => status is 0 or 408 or 429 or >= 500;

    /// <summary>The wait the service asked for, capped; null (back-off) when it asked for none.</summary>
    private TimeSpan? ServiceRetryDelay(Exception? failure)
    {
        if (failure is not ClientResultException { } e || e.GetRawResponse() is not { } response) return null;
        var headers = response.Headers;
        TimeSpan? delay = null;
        if ((headers.TryGetValue("retry-after-ms", out var ms) || headers.TryGetValue("x-ms-retry-after-ms", out ms))
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            delay = TimeSpan.FromMilliseconds(milliseconds);
        else if (headers.TryGetValue("Retry-After", out var retryAfter))
        {
            if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                delay = TimeSpan.FromSeconds(seconds);
            else if (DateTimeOffset.TryParseExact(retryAfter, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                delay = at - DateTimeOffset.UtcNow;
        }
        if (delay is null) return null;
        if (delay < TimeSpan.Zero) return TimeSpan.Zero;
        return delay > _settings.MaxRetryAfter ? _settings.MaxRetryAfter : delay;
    }

    private EmbeddingServiceException Failure(Exception last, int attempts)
    {
        int? status = last is ClientResultException { Status: > 0 } e ? e.Status : null;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Azure OpenAI embeddings failed at {_host}, deployment '{_settings.Deployment}', after {attempts} attempt(s): {Describe(last)}.");
        message = WithoutKey(message);
        // Defence in depth: drop the SDK's exception (with the response it quotes) should it ever hold the key.
        var inner = _settings.ApiKey is { } key && last.ToString().Contains(key, StringComparison.Ordinal) ? null : last;
        return new EmbeddingServiceException(message, _host, _settings.Deployment, attempts, status, inner);
    }

    private string Describe(Exception? failure) => failure switch
    {
        ClientResultException { Status: > 0 } e => $"last status {e.Status} ({(HttpStatusCode)e.Status}){ServiceError(e)}",
        ClientResultException e => $"no response ({WithoutKey(e.InnerException?.Message ?? e.Message)})",
        TimeoutRejectedException
            => $"last attempt timed out after {_settings.RequestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
        null => "no exception",
        _ => $"no response ({failure.GetType().Name}: {WithoutKey(failure.Message)})",
    };

    /// <summary>The service's own error code and message, e.g. "DeploymentNotFound: ...", shortened.</summary>
    private string ServiceError(ClientResultException e)
    {
        const int maxLength = 300;
        try
        {
            var content = e.GetRawResponse()?.Content;
            if (content is null || content.ToMemory().IsEmpty) return "";
            using var document = JsonDocument.Parse(content.ToMemory());
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return "";
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var text = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var detail = string.Join(": ", new[] { code, text }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (detail.Length == 0) return "";
            if (detail.Length > maxLength) detail = detail[..maxLength] + "...";
            return " - " + WithoutKey(detail);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    private string WithoutKey(string text) =>
        _settings.ApiKey is { } key ? text.Replace(key, "[api key]", StringComparison.Ordinal) : text;

    /// <summary>One unit vector per input, by the response's index (the service may answer in any order).</summary>
    private float[][] VectorsInInputOrder(OpenAIEmbeddingCollection response, int inputCount, int? dimensions)
    {
        var vectors = new float[inputCount][];
        foreach (var embedding in response)
        {
            if (embedding.Index < 0 || embedding.Index >= inputCount || vectors[embedding.Index] is not null)
                throw InvalidAnswer($"it returned an embedding with index {embedding.Index} for {inputCount} inputs");
            var raw = embedding.ToFloats().Span;
            if (raw.Length == 0 || (dimensions is { } d && raw.Length != d))
                throw InvalidAnswer($"it returned a vector of {raw.Length} dimensions " +
                    $"where {dimensions?.ToString(CultureInfo.InvariantCulture) ?? "some"} were expected");
            foreach (var x in raw)
                if (!float.IsFinite(x)) throw InvalidAnswer("it returned a vector with a non-finite value");
            vectors[embedding.Index] = VectorMath.L2Normalized(raw);
        }
        var missing = Array.FindIndex(vectors, v => v is null);
        if (missing >= 0)
            throw InvalidAnswer($"it returned {response.Count} embeddings for {inputCount} inputs (none for input {missing})");
        if (vectors.Any(v => v.Length != vectors[0].Length))
            throw InvalidAnswer("it returned vectors of different lengths");
        return vectors;
    }

    private EmbeddingServiceException InvalidAnswer(string problem, int attempts = 1, Exception? inner = null) =>
        new($"Azure OpenAI embeddings at {_host}, deployment '{_settings.Deployment}', gave an unusable answer: {problem}.", _host,
            _settings.Deployment,
            attempts, lastStatus: 200, inner);

    /// <summary>Sets the api-version query parameter of every request to the configured one.</summary>
    private sealed class ApiVersionPolicy(string apiVersion) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Apply(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Apply(message);
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }

        private void Apply(PipelineMessage message)
        {
            if (message.Request.Uri is not { } uri) return;
            var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.StartsWith("api-version=", StringComparison.OrdinalIgnoreCase));
            var query = string.Join('&', kept.Append("api-version=" + Uri.EscapeDataString(apiVersion)));
            message.Request.Uri = new UriBuilder(uri) { Query = query }.Uri;
        }
    }
}
