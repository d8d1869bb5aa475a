using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using PipelineFunctions.Infrastructure.Embeddings;

namespace PipelineFunctions.Infrastructure.Tests.Embeddings;

/// <summary>The Azure OpenAI embedder against a loopback server that answers like the embeddings endpoint.</summary>
public sealed class AzureOpenAISessionEmbedderTests : IAsyncLifetime
{
    private const string ApiKey = "test-key-5f2b9c0e-MUST-NOT-LEAK";
    private const string Deployment = "session-embeddings";

    private readonly FakeAzureOpenAIServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Inputs_go_in_batches_of_at_most_MaxBatchSize_and_come_back_in_order_as_unit_vectors()
    {
        var texts = Enumerable.Range(1, 23).Select(i => $"Session {i}: imaging the equine foot, part {i}").ToList();
        using var embedder = Embedder(s => s with { MaxBatchSize = 5, ApiVersion = "2024-10-21" });

        var embeddings = await embedder.GenerateAsync(texts);

        var requests = _server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(5, requests.Count); // ceil(23 / 5)
        Assert.Equal([5, 5, 5, 5, 3], requests.Select(r => r.Inputs.Count));
        Assert.Equal(texts, requests.SelectMany(r => r.Inputs));
        Assert.All(requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal($"/openai/deployments/{Deployment}/embeddings", r.Path);
            Assert.Equal(ApiKey, r.ApiKey);
            Assert.Equal("2024-10-21", r.ApiVersion);
        });

        Assert.Equal(texts.Count, embeddings.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var expected = VectorMath.L2Normalized(FakeAzureOpenAIServer.RawVectorFor(texts[i], FakeAzureOpenAIServer.DefaultDimensions));
            Assert.Equal(expected, embeddings[i].Vector.ToArray());
            Assert.InRange(VectorMath.L2Norm(embeddings[i].Vector.Span), 1 - 1e-6, 1 + 1e-6);
            Assert.Equal(FakeAzureOpenAIServer.ModelName, embeddings[i].ModelId);
        }
        Assert.Equal(texts.Sum(t => t.Split(' ').Length), embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Configured_or_requested_dimensions_are_sent_and_checked()
    {
        using var embedder = Embedder(s => s with { Dimensions = 16 });

        var configured = await embedder.GenerateAsync(["a session"]);
        var requested = await embedder.GenerateAsync(["a session"], new EmbeddingGenerationOptions { Dimensions = 12 });

        Assert.Equal([16, 12], _server.Requests.OrderBy(r => r.Number).Select(r => r.Dimensions));
        Assert.Equal(16, configured[0].Vector.Length);
        Assert.Equal(12, requested[0].Vector.Length);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_wait_the_service_asked_for()
    {
        _server.Script = n => n == 1 ? ScriptedAnswer.Error(429, "429", new Dictionary<string, string> { ["Retry-After"] = "1" }) : null;
        using var embedder = Embedder(); // back-off alone would wait ~10 ms

        var embeddings = await embedder.GenerateAsync(["a session"]);

        var requests = _server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(2, requests.Count);
        var waited = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.InRange(waited, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.Single(embeddings);
    }

    [Fact]
    public async Task A_retry_after_ms_header_is_honoured_too()
    {
        _server.Script = n => n == 1 ? ScriptedAnswer.Error(429, "429", new Dictionary<string, string> { ["retry-after-ms"] = "400" }) : null;
        using var embedder = Embedder();

        await embedder.GenerateAsync(["a session"]);

        var requests = _server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(2, requests.Count);
        Assert.InRange(requests[1].ReceivedAt - requests[0].ReceivedAt, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_500_is_retried()
    {
        _server.Script = n => n == 1 ? ScriptedAnswer.Error(500, "InternalServerError") : null;
        using var embedder = Embedder();

        var embeddings = await embedder.GenerateAsync(["first", "second"]);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(VectorMath.L2Normalized(FakeAzureOpenAIServer.RawVectorFor("second", FakeAzureOpenAIServer.DefaultDimensions)),
            embeddings[1].Vector.ToArray());
    }

    [Fact]
    public async Task Persistent_500s_fail_after_MaxAttempts_with_a_clear_message_that_never_holds_the_key()
    {
        _server.Script = _ => ScriptedAnswer.Error(500, "InternalServerError");
        using var embedder = Embedder(s => s with { MaxAttempts = 3 });

        var failure = await Assert.ThrowsAsync<EmbeddingServiceException>(() => embedder.GenerateAsync(["a session"]));

        Assert.Equal(3, _server.Requests.Count); // Polly's attempts only: the SDK's own retries are off
        Assert.Equal(3, failure.Attempts);
        Assert.Equal(500, failure.LastStatus);
        Assert.Equal(_server.Endpoint.Authority, failure.EndpointHost);
        Assert.Contains(_server.Endpoint.Authority, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"deployment '{Deployment}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("last status 500", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_times_out_is_abandoned_and_retried()
    {
        _server.Script = n => n == 1 ? ScriptedAnswer.SlowSuccess(TimeSpan.FromSeconds(5)) : null;
        using var embedder = Embedder(s => s with { RequestTimeout = TimeSpan.FromMilliseconds(400) });

        var clock = Stopwatch.StartNew();
        var embeddings = await embedder.GenerateAsync(["a session"]);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}: the slow answer was waited for");
        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(embeddings);
    }

    [Fact]
    public async Task Persistent_timeouts_fail_with_a_message_saying_so()
    {
        _server.Script = _ => ScriptedAnswer.SlowSuccess(TimeSpan.FromSeconds(5));
        using var embedder = Embedder(s => s with { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2 });

        var failure = await Assert.ThrowsAsync<EmbeddingServiceException>(() => embedder.GenerateAsync(["a session"]));

        Assert.Equal(2, failure.Attempts);
        Assert.Null(failure.LastStatus);
        Assert.Contains("timed out after 0.2 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_400_fails_at_once_without_retries()
    {
        _server.Script = _ => ScriptedAnswer.Error(400, "InvalidInput");
        using var embedder = Embedder();

        var failure = await Assert.ThrowsAsync<EmbeddingServiceException>(() => embedder.GenerateAsync(["a session"]));

        Assert.Single(_server.Requests);
        Assert.Equal(1, failure.Attempts);
        Assert.Equal(400, failure.LastStatus);
        Assert.Contains("last status 400 (BadRequest) - InvalidInput: scripted 400", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_answer_fails_at_once_with_a_clear_message()
    {
        _server.Script = _ => new ScriptedAnswer(200, Body: "{ this is not json");
        using var embedder = Embedder();

        var failure = await Assert.ThrowsAsync<EmbeddingServiceException>(() => embedder.GenerateAsync(["a session"]));

        Assert.Single(_server.Requests);
        Assert.Contains("gave an unusable answer", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Deployment, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        var closedPort = ClosedLoopbackPort();
        using var embedder = new AzureOpenAISessionEmbedder(
            Settings() with { Endpoint = new Uri($"http://127.0.0.1:{closedPort}/"), MaxAttempts = 3 });

        var failure = await Assert.ThrowsAsync<EmbeddingServiceException>(() => embedder.GenerateAsync(["a session"]));

        Assert.Equal(3, failure.Attempts);
        Assert.Null(failure.LastStatus);
        Assert.Contains("no response", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_retried_or_wrapped()
    {
        _server.Script = _ => ScriptedAnswer.SlowSuccess(TimeSpan.FromSeconds(5));
        using var embedder = Embedder();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => embedder.GenerateAsync(["a session"], cancellationToken: cancellation.Token));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Empty_inputs_are_refused_before_any_request_and_no_inputs_need_none()
    {
        using var embedder = Embedder();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => embedder.GenerateAsync(["fine", ""]));
        Assert.Contains("Input 1 is empty", e.Message, StringComparison.Ordinal);
        Assert.Empty(await embedder.GenerateAsync([]));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Settings_never_show_the_key_and_refuse_bad_values()
    {
        var settings = Settings();

        Assert.DoesNotContain(ApiKey, settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey = (set)", settings.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { MaxBatchSize = 0 }));
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { MaxBatchSize = 2049 }));
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { MaxAttempts = 0 }));
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { Deployment = " " }));
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { ApiKey = "" }));
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { RequestTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new AzureOpenAISessionEmbedder(settings with { Endpoint = new Uri("ftp://example.org/") }));
    }

    [Fact]
    public void Without_a_key_it_builds_on_Entra_ID_and_describes_itself()
    {
        using var embedder = new AzureOpenAISessionEmbedder(
            Settings() with { ApiKey = null, Endpoint = new Uri("https://my-resource.openai.azure.com/") });
        IEmbeddingGenerator<string, Embedding<float>> generator = embedder;

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(Deployment, metadata.DefaultModelId);
        Assert.Equal(AzureOpenAISessionEmbedder.ProviderName, metadata.ProviderName);
        Assert.Same(embedder, generator.GetService<AzureOpenAISessionEmbedder>());
    }

    /// <summary>Short delays and timeouts, so retries cost the tests milliseconds.</summary>
    private AzureOpenAIEmbeddingSettings Settings() => new()
    {
        Endpoint = _server.Endpoint,
        Deployment = Deployment,
        ApiKey = ApiKey,
        RequestTimeout = TimeSpan.FromSeconds(10),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    private AzureOpenAISessionEmbedder Embedder(Func<AzureOpenAIEmbeddingSettings, AzureOpenAIEmbeddingSettings>? adjust = null) =>
        new((adjust ?? (s => s))(Settings()));

    private static int ClosedLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
