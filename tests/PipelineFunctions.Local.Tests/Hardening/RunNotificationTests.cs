using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Notifications;
using PipelineFunctions.Infrastructure.Tests.Notifications;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.Local.Tests.Hardening;

/// <summary>
/// The real local pipeline on the vet_lva sample announcing its end to a loopback webhook: `pa run` with
/// NOTIFY_WEBHOOK_URL posts the run's end and the promoted model; a webhook that cannot be reached leaves a warning in
/// the summary of a run that still completed, and its URL appears in no log, status, summary, history or artifact.
/// </summary>
public sealed class RunNotificationTests : IAsyncDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FakeWebhookServer _webhook = new();

    public async ValueTask DisposeAsync()
    {
        await _webhook.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<(int Exit, string Output, string Error)> PaAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await PaCommandLine.RunAsync(
            [.. args, "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite")],
            output, error, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Pa_run_posts_its_end_and_the_promoted_model_and_a_failed_run_its_error_once_each()
    {
        var settings = new Dictionary<string, string?> { [RunNotificationOptions.WebhookUrlSetting] = _webhook.Url.ToString() };

        var run = await PaAsync(settings, "run", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--instance-id", "weekly-1",
            "--retrain", "--json");

        Assert.True(run.Exit == 0, run.Error);
        var summary = JsonSerializer.Deserialize<RunSummary>(run.Output, PipelineJson.Options)!;
        Assert.True(summary.Retraining!.Promoted, summary.Retraining.Reason); // the sample's first model beats the heuristic
        Assert.Empty(summary.Warnings);
        var texts = _webhook.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()!).ToList();
        Assert.Equal(2, texts.Count);
        Assert.StartsWith("Personal Agendas run completed: event vet_lva, run weekly-1\nStatus: Completed in ", texts[0]);
        Assert.Contains("Recommendations: ", texts[0]);
        Assert.Equal($"Personal Agendas ranker model promoted: event vet_lva, run weekly-1\nModel {summary.Retraining.Candidate}: NDCG@10 "
            + $"{summary.Retraining.CandidateNdcgAt10:0.0000} with no previous model to compare against\nReason: {summary.Retraining.Reason}",
            texts[1]);

        var badInput = _temp.Combine("bad-input");
        SampleCopies.WithBadSessionDate(badInput);
        var failed = await PaAsync(settings, "run", "--event", "vet_lva", "--input", badInput, "--instance-id", "bad-1");

        Assert.Equal(PaCommandLine.ExitInputError, failed.Exit);
        Assert.Equal(3, _webhook.Requests.Count);
        var failure = JsonDocument.Parse(_webhook.Requests.Last().Body).RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith("Personal Agendas run FAILED: event vet_lva, run bad-1\nStatus: Failed in ", failure);
        Assert.Contains("Error: data_preparation: " + SampleCopies.BadSessionDateError, failure);
    }

    [Fact]
    public async Task An_unreachable_webhook_leaves_a_warning_in_the_summary_of_a_completed_run_and_its_url_nowhere()
    {
        var url = FakeWebhookServer.Unreachable();
        var logs = new CapturedLogs();
        var options = new RunNotificationOptions { AttemptsText = "2", RetryDelayText = "0.1" };
        var notifier = new WebhookRunNotifier(options, _ => Task.FromResult<string?>(url.ToString()), new Logger<WebhookRunNotifier>(logs));
        RunInstance instance;
        string summaryJson;
        var statuses = new List<string>();
        await using (var host = new LocalHost(ArtifactStoreLocator.Open(_temp.Combine("store")), new SqliteAgendaGraphFactory(_temp.Combine("graph")),
            _temp.Combine("runs.sqlite"), Repository.Root, LocalPipelineServices.OpenAnyInput, logs, TimeProvider.System, notifier: notifier))
        {
            host.Runner.Progress += (_, status) => statuses.Add(JsonSerializer.Serialize(status, PipelineJson.Options));
            await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", Repository.Sample("vet_lva")), "unreachable");
            instance = await host.Runner.RunAsync("unreachable");
            summaryJson = (await host.SummaryJsonAsync(instance))!;
            statuses.Add(JsonSerializer.Serialize(await host.Runner.Store.GetHistoryAsync("unreachable"), PipelineJson.Options));
        }

        Assert.True(instance.RuntimeStatus == RuntimeStatuses.Completed, instance.OutputJson);
        var summary = JsonSerializer.Deserialize<RunSummary>(summaryJson, PipelineJson.Options)!;
        var warning = Assert.Single(summary.Warnings);
        Assert.StartsWith("run notification (run_ended) not delivered to the run-notification webhook at 127.0.0.1 after 2 attempts", warning);
        Assert.Contains("could not reach it", warning);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains(warning, StringComparison.Ordinal));

        var written = new List<(string Where, string Text)>
        {
            ("logs", logs.AllText), ("status and history", string.Join('\n', statuses) + instance.CustomStatusJson), ("summary", summaryJson),
        };
        foreach (var file in Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories))
            written.Add((file, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file))));
        Assert.True(logs.Entries.Count > 20, $"only {logs.Entries.Count} log entries captured");
        Assert.All(written, w => Assert.False(w.Text.Contains(FakeWebhookServer.Token, StringComparison.OrdinalIgnoreCase),
            $"the webhook URL leaked into {w.Where}"));
        Assert.All(written, w => Assert.DoesNotContain(url.AbsolutePath, w.Text, StringComparison.OrdinalIgnoreCase));
    }
}
