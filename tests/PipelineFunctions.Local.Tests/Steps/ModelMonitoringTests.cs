using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Infrastructure.Tests.Notifications;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.LocalEngine.Runs;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Model monitoring with real retrainings: each one's holdout scores are kept as the registry's history, which `pa models`
/// prints; a model registered on a show where it scored high and retrained on data where it does worse makes the run say so
/// (summary, log, notification), and a model scored on the data it was registered on does not.
/// </summary>
public sealed class ModelMonitoringTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Store => _temp.Combine("store");

    private static async Task<(int Exit, string Output, string Error)> Pa(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await PaCommandLine.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Generate(int visitors, int seed)
    {
        var folder = _temp.Combine($"generated-{seed}");
        var config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));
        ShowDataGenerator.Generate(config, new GenerationOptions(visitors, seed), folder, CancellationToken.None);
        return folder;
    }

    private async Task TrainAsync(string input)
    {
        var (exit, _, error) = await Pa("train", "--event", "vet_lva", "--input", input, "--store", Store);
        Assert.True(exit == 0, error);
    }

    private sealed class CapturedNotifier : IRunNotifier
    {
        public List<RunNotification> Sent { get; } = [];

        public Task<bool> SendAsync(RunNotification notification, CancellationToken cancellationToken = default)
        {
            lock (Sent) Sent.Add(notification);
            return Task.FromResult(true);
        }
    }

    /// <summary>A `pa run --retrain` on the local engine over <see cref="Store"/>, its logs and notifications captured.</summary>
    private async Task<(RunSummary Summary, CapturedLogs Logs, CapturedNotifier Notifier)> RunWithRetrainingAsync(string input, string id)
    {
        var (logs, notifier) = (new CapturedLogs(), new CapturedNotifier());
        await using var host = new LocalHost(ArtifactStoreLocator.Open(Store), new SqliteAgendaGraphFactory(_temp.Combine("graph")),
            _temp.Combine("runs.sqlite"), Repository.Root, LocalPipelineServices.OpenAnyInput, logs, TimeProvider.System, notifier: notifier);
        await host.Runner.CreateAsync(new PipelineRunRequest("vet_lva", input, Retrain: true), id);
        var instance = await host.Runner.RunAsync(id);
        Assert.True(instance.RuntimeStatus == RuntimeStatuses.Completed, instance.OutputJson);
        var summary = JsonSerializer.Deserialize<RunSummary>((await host.SummaryJsonAsync(instance))!, PipelineJson.Options)!;
        return (summary, logs, notifier);
    }

    [Fact]
    public async Task Each_retraining_on_a_generated_show_is_kept_in_the_history_with_both_scores_and_pa_models_prints_it()
    {
        var input = Generate(1500, seed: 3);
        await TrainAsync(input);
        await TrainAsync(input);

        var (exit, json, error) = await Pa("models", "history", "--event", "vet_lva", "--store", Store, "--json");

        Assert.True(exit == 0, error);
        var history = JsonSerializer.Deserialize<List<PromotionDecision>>(json, PipelineJson.Options)!;
        Assert.Equal(2, history.Count);
        var (first, second) = (history[0], history[1]);
        Assert.True(first.DecidedAt <= second.DecidedAt);
        var registry = new RankingModelRegistry(ArtifactStoreLocator.Open(Store), "vet_lva");
        var firstInfo = (await registry.InfoAsync(first.Candidate, CancellationToken.None))!;
        Assert.Equal(firstInfo.Holdout, first.CandidateHoldout);
        Assert.Equal(firstInfo.TrainingDataHash, first.DataHash);
        Assert.True(first.HoldoutVisitors > 100, $"{first.HoldoutVisitors} holdout visitors");
        Assert.Null(first.Current);
        Assert.Null(first.CurrentHoldout);
        Assert.NotNull(first.HeuristicHoldout);
        // The second retraining scored the first model on the same data: as at its registration, so within the margin.
        Assert.Equal(first.Candidate, second.Current);
        Assert.Equal(first.CandidateNdcgAt10, second.CurrentRegisteredNdcgAt10);
        Assert.Equal(second.CurrentRegisteredNdcgAt10!.Value, second.CurrentHoldout!.NdcgAt10, 3);
        Assert.Equal(0.1, second.DegradationMargin);
        Assert.Null(second.Degradation);

        var (tableExit, table, tableError) = await Pa("models", "--event", "vet_lva", "--store", Store);
        Assert.True(tableExit == 0, tableError);
        Assert.Contains("retraining history", table);
        Assert.Contains(first.DataHash![..8], table);
        Assert.Contains(first.CandidateNdcgAt10.ToString("0.0000", CultureInfo.InvariantCulture), table);
        Assert.DoesNotContain("degraded", table);
    }

    [Fact]
    public async Task A_model_that_scores_worse_on_the_newest_data_than_at_registration_is_reported_in_summary_log_and_notification()
    {
        // Registered on a generated show, where its holdout NDCG@10 is high; the run's retraining scores it on the sample.
        await TrainAsync(Generate(1500, seed: 1));
        var registry = new RankingModelRegistry(ArtifactStoreLocator.Open(Store), "vet_lva");
        var registered = (await registry.LoadCurrentAsync(CancellationToken.None))!.Info;

        var (summary, logs, notifier) = await RunWithRetrainingAsync(Repository.Sample("vet_lva"), "degraded");

        var retraining = summary.Retraining!;
        Assert.Equal(registered.Version, retraining.Current);
        Assert.Equal(registered.Holdout.NdcgAt10, retraining.CurrentRegisteredNdcgAt10);
        Assert.True(retraining.CurrentNdcgAt10 < registered.Holdout.NdcgAt10 * 0.9,
            $"the current model scores {retraining.CurrentNdcgAt10} on the sample against {registered.Holdout.NdcgAt10} at registration");
        var degradation = Assert.IsType<string>(retraining.Degradation);
        Assert.Contains($"the current model {registered.Version} scores NDCG@10 {retraining.CurrentNdcgAt10!.Value.ToString("0.0000",
            CultureInfo.InvariantCulture)} on the newest data", degradation);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains(degradation, StringComparison.Ordinal));
        var ended = notifier.Sent.Single(n => n.Kind == RunNotification.RunEnded);
        Assert.Contains($"Ranker: {degradation}", ended.Text);
        var recorded = (await registry.HistoryAsync(CancellationToken.None))[^1];
        Assert.Equal(degradation, recorded.Degradation);
    }

    [Fact]
    public async Task A_model_scored_on_the_data_it_was_registered_on_is_within_the_margin_and_the_run_says_nothing()
    {
        await TrainAsync(Repository.Sample("vet_lva"));

        var (summary, logs, notifier) = await RunWithRetrainingAsync(Repository.Sample("vet_lva"), "sound");

        var retraining = summary.Retraining!;
        Assert.NotNull(retraining.Current);
        Assert.NotNull(retraining.CurrentRegisteredNdcgAt10);
        Assert.Null(retraining.Degradation);
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains("model degradation", StringComparison.Ordinal));
        Assert.All(notifier.Sent, n => Assert.DoesNotContain("degradation", n.Text));
    }
}
