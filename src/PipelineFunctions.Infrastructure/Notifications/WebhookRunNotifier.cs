using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Infrastructure.Secrets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PipelineFunctions.Infrastructure.Notifications;

/// <summary>
/// Posts <c>{"text": "…"}</c>, which Slack and Teams incoming webhooks both accept, to the configured URL. Polly retries
/// with exponential back-off and jitter (after the service's Retry-After when it gives one) on connection errors,
/// timeouts, 408, 429 and 5xx, within a per-attempt timeout and a total budget; any other answer is final.
/// <para>
/// The URL is a secret: no log line, exception or warning carries it, only "the run-notification webhook" and its host.
/// Its requests go through a client whose handler emits no HTTP client activity or diagnostic events, so tracing that
/// listens to System.Net.Http records no span with the URL either.
/// </para>
/// </summary>
/// <param name="webhook">Looks the URL up at each message (a rotated Key Vault secret is picked up); null or blank: not configured.</param>
public sealed class WebhookRunNotifier(RunNotificationOptions options, Func<CancellationToken, Task<string?>> webhook,
    ILogger<WebhookRunNotifier> logger, TimeProvider? time = null) : IRunNotifier
{
    public const string Destination = "the run-notification webhook";

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>One client for the process, as HttpClient is meant to be used; connections are renewed for DNS changes.</summary>
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // No DiagnosticsHandler: its activity and events would carry the request URI (the secret) to any listener.
        ActivityHeadersPropagator = null,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan, // Polly's timeouts rule
    };

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = Build(options, logger, time ?? TimeProvider.System);

    public async Task<bool> SendAsync(RunNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var what = $"run notification ({notification.Kind})";
        string? configured;
        try
        {
            configured = RunNotificationOptions.Configured(await webhook(cancellationToken));
        }
        catch (SecretSourceException e)
        {
            // Its message names the vault, the secret and the status: never a value.
            throw new RunNotificationException($"{what} not sent: could not read the webhook secret: {e.Message}");
        }
        if (configured is not { } value) return false;
        if (!RunNotificationOptions.TryParseWebhook(value, out var uri))
            throw new RunNotificationException($"{what} not sent: {Destination} ({RunNotificationOptions.WebhookUrlSetting}) is not an https URL");

        var where = $"{Destination} at {uri.Host}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new { text = notification.Text });
        var started = _time.GetTimestamp();
        var attempts = 0;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Notification, (notification, where));
        try
        {
            using var response = await _pipeline.ExecuteAsync(async attempt =>
            {
                Interlocked.Increment(ref attempts);
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                return await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.CancellationToken);
            }, context);
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Run {RunId}: {Kind} notification delivered to {Destination} (attempts: {Attempts})",
                    notification.RunId, notification.Kind, where, attempts);
                return true;
            }
            throw Failure(what, where, attempts, started, $"answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException
            || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(what, where, attempts, started, Describe(e, uri, options));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<(RunNotification Message, string Where)> Notification = new("run-notification");

    private RunNotificationException Failure(string what, string where, int attempts, long started, string reason) =>
        new($"{what} not delivered to {where} after {attempts} attempt{(attempts == 1 ? "" : "s")} in "
            + $"{_time.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {reason}");

    private static ResiliencePipeline<HttpResponseMessage> Build(RunNotificationOptions options, ILogger logger, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }.AddTimeout(options.Timeout);
        if (options.Attempts > 1)
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => IsTransient(response.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var (message, where) = args.Context.Properties.GetValue(Notification, default);
                    var reason = args.Outcome switch
                    {
                        { Result: { } answer } => $"HTTP {(int)answer.StatusCode}",
                        { Exception: TimeoutRejectedException } => $"no answer within {Seconds(options.AttemptTimeout)} s",
                        { Exception: HttpRequestException http } => $"could not reach it: {http.HttpRequestError}",
                        { Exception: { } other } => other.GetType().Name,
                        _ => "no answer",
                    };
                    logger.LogWarning("Run {RunId}: {Kind} notification to {Destination}, attempt {Attempt} of {Attempts} failed ({Reason}); "
                        + "retrying in {DelayMs} ms", message?.RunId, message?.Kind, where, args.AttemptNumber + 1, options.Attempts, reason,
                        (long)args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The service's Retry-After (seconds or a date), capped; null: the back-off's own delay.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter) return null;
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is null || delay < TimeSpan.Zero) return null;
        return delay > MaxRetryAfter ? MaxRetryAfter : delay;
    }

    private static string Describe(Exception failure, Uri uri, RunNotificationOptions options) => failure switch
    {
        TimeoutRejectedException timeout when timeout.Timeout >= options.Timeout
            => $"the total budget of {Seconds(options.Timeout)} s ({RunNotificationOptions.TimeoutSetting}) was spent",
        TimeoutRejectedException => $"the last attempt had no answer within {Seconds(options.AttemptTimeout)} s",
        HttpRequestException http => $"could not reach it ({http.HttpRequestError}: {Redact(http.Message, uri)})",
        _ => $"{failure.GetType().Name}",
    };

    /// <summary>
    /// The message without the URL, its path or any path segment long enough to be a token (where an incoming webhook
    /// keeps its secret).
    /// </summary>
    internal static string Redact(string message, Uri uri)
    {
        var parts = new[] { uri.OriginalString, uri.AbsoluteUri, uri.PathAndQuery, uri.AbsolutePath, uri.Query }
            .Where(p => p.Length > 1)
            .Concat(uri.AbsolutePath.Split('/').Where(segment => segment.Length >= 6))
            .OrderByDescending(p => p.Length);
        foreach (var part in parts) message = message.Replace(part, "(redacted)", StringComparison.OrdinalIgnoreCase);
        return message;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
