using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Infrastructure.Notifications;

namespace PipelineFunctions.Infrastructure.Tests.Notifications;

/// <summary>The webhook adapter over real HTTP to a loopback server: delivery, Polly's retries and timeouts, and the URL kept secret.</summary>
public sealed class WebhookRunNotifierTests : IAsyncDisposable
{
    private static readonly RunNotification Message = new(RunNotification.RunEnded, "run-7", "vet_lva",
        "Personal Agendas run completed: event vet_lva, run run-7\nStatus: Completed in 1 min 35 s");

    private readonly FakeWebhookServer _server = new();
    private readonly CapturedLogs _logs = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static RunNotificationOptions Options(int attempts = 3, double attemptTimeout = 5, double total = 20, double retryDelay = 0.05) => new()
    {
        AttemptsText = attempts.ToString(CultureInfo.InvariantCulture),
        AttemptTimeoutText = attemptTimeout.ToString(CultureInfo.InvariantCulture),
        TimeoutText = total.ToString(CultureInfo.InvariantCulture),
        RetryDelayText = retryDelay.ToString(CultureInfo.InvariantCulture),
    };

    private WebhookRunNotifier Notifier(Uri? url, RunNotificationOptions? options = null) =>
        new(options ?? Options(), _ => Task.FromResult(url?.ToString()), new Logger<WebhookRunNotifier>(_logs));

    [Fact]
    public async Task A_message_is_posted_once_as_the_text_json_both_Slack_and_Teams_accept()
    {
        Assert.True(await Notifier(_server.Url).SendAsync(Message));

        var (path, contentType, body) = Assert.Single(_server.Requests);
        Assert.Equal(_server.Url.AbsolutePath, path);
        Assert.Equal("application/json; charset=utf-8", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(Message.Text, Assert.Single(json.RootElement.EnumerateObject(), p => p.Name == "text").Value.GetString());
        Assert.Single(json.RootElement.EnumerateObject());
    }

    [Fact]
    public async Task A_500_is_retried_and_the_message_then_delivered()
    {
        _server.Script = n => n == 1 ? (500, TimeSpan.Zero) : null;

        Assert.True(await Notifier(_server.Url).SendAsync(Message));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(_server.Requests.Select(r => r.Body).Distinct());
        Assert.Contains(_logs.Entries,
            e => e.Level == LogLevel.Warning && e.Text.Contains("attempt 1 of 3 failed (HTTP 500)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_within_its_timeout_is_retried()
    {
        _server.Script = n => n == 1 ? (200, TimeSpan.FromSeconds(10)) : null;
        var clock = Stopwatch.StartNew();

        Assert.True(await Notifier(_server.Url, Options(attemptTimeout: 0.5)).SendAsync(Message));

        Assert.Equal(2, _server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}: the slow attempt was waited out");
        Assert.Contains(_logs.Entries, e => e.Text.Contains("attempt 1 of 3 failed (no answer within 0.5 s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_given_up_after_the_attempts_with_a_message_naming_only_its_host()
    {
        _server.Script = _ => (503, TimeSpan.Zero);

        var failure = await Assert.ThrowsAsync<RunNotificationException>(() => Notifier(_server.Url).SendAsync(Message));

        Assert.Equal(3, _server.Requests.Count);
        Assert.StartsWith("run notification (run_ended) not delivered to the run-notification webhook at 127.0.0.1 after 3 attempts in ",
            failure.Message);
        Assert.EndsWith(": answered HTTP 503 Service Unavailable", failure.Message);
    }

    [Fact]
    public async Task An_answer_that_retrying_cannot_change_is_final()
    {
        _server.Script = _ => (404, TimeSpan.Zero);

        var failure = await Assert.ThrowsAsync<RunNotificationException>(() => Notifier(_server.Url).SendAsync(Message));

        Assert.Single(_server.Requests);
        Assert.Contains("after 1 attempt in", failure.Message);
        Assert.EndsWith("answered HTTP 404 Not Found", failure.Message);
    }

    [Fact]
    public async Task The_total_budget_ends_the_retries_however_many_attempts_are_left()
    {
        _server.Script = _ => (200, TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<RunNotificationException>(
            () => Notifier(_server.Url, Options(attempts: 10, attemptTimeout: 0.5, total: 3)).SendAsync(Message));

        // A budget of about six attempts, wide enough for a slow first request on a busy machine: retried, but not ten times.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.InRange(_server.Requests.Count, 2, 9);
        Assert.EndsWith("the total budget of 3 s (NOTIFY_TIMEOUT_SECONDS) was spent", failure.Message);
    }

    [Fact]
    public async Task An_unreachable_webhook_is_retried_then_reported_as_a_connection_failure()
    {
        var failure = await Assert.ThrowsAsync<RunNotificationException>(() => Notifier(FakeWebhookServer.Unreachable()).SendAsync(Message));

        Assert.Contains("after 3 attempts", failure.Message);
        Assert.Contains("could not reach it (ConnectionError", failure.Message);
        Assert.Equal(2, _logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Text.Contains("could not reach it", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_a_webhook_nothing_is_sent_and_nothing_is_said()
    {
        Assert.False(await Notifier(null).SendAsync(Message));
        const string unresolved = "@Microsoft.KeyVault(VaultName=kv;SecretName=notify-webhook-url)";
        Assert.False(await new WebhookRunNotifier(Options(), _ => Task.FromResult<string?>(unresolved), new Logger<WebhookRunNotifier>(_logs))
            .SendAsync(Message));

        Assert.Empty(_server.Requests);
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public async Task The_url_appears_in_no_log_exception_or_trace_whatever_happens()
    {
        // Every source in the process, so tests running beside this one add activities from their threads too.
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var said = new List<string>();
        _server.Script = n => n switch { 1 => (500, TimeSpan.Zero), 3 => (200, TimeSpan.FromSeconds(5)), 5 => (403, TimeSpan.Zero), _ => null };

        Assert.True(await Notifier(_server.Url).SendAsync(Message)); // 500, then delivered
        Assert.True(await Notifier(_server.Url, Options(attemptTimeout: 0.3)).SendAsync(Message)); // no answer in time, then delivered
        said.Add((await Assert.ThrowsAsync<RunNotificationException>(() => Notifier(_server.Url).SendAsync(Message))).Message); // 403
        said.Add((await Assert.ThrowsAsync<RunNotificationException>(() => Notifier(FakeWebhookServer.Unreachable()).SendAsync(Message))).Message);
        var notHttps = new Uri($"http://hooks.example.com/services/T0001/B0002/{FakeWebhookServer.Token}");
        said.Add((await Assert.ThrowsAsync<RunNotificationException>(() => Notifier(notHttps).SendAsync(Message))).Message);

        Assert.Equal(5, _server.Requests.Count);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning);
        var everything = string.Join('\n', said) + "\n" + _logs.AllText + "\n"
            + string.Join('\n', activities.ToArray()
                .Select(a => $"{a.DisplayName} {string.Join(' ', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"));
        Assert.Contains("the run-notification webhook", everything);
        Assert.DoesNotContain(FakeWebhookServer.Token, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/services/", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Connection refused (127.0.0.1:5555)", "Connection refused (127.0.0.1:5555)")]
    [InlineData("POST https://hooks.example.com/services/T1/B2/abcdefTOKEN failed", "POST (redacted) failed")]
    [InlineData("path /services/T1/B2/abcdefTOKEN not found", "path (redacted) not found")]
    [InlineData("T1 and B2 are too short to be secret", "T1 and B2 are too short to be secret")]
    [InlineData("token abcdefTOKEN rejected", "token (redacted) rejected")]
    public void Messages_from_the_network_stack_lose_every_part_of_the_url_path(string message, string expected) =>
        Assert.Equal(expected, WebhookRunNotifier.Redact(message, new Uri("https://hooks.example.com/services/T1/B2/abcdefTOKEN")));
}
