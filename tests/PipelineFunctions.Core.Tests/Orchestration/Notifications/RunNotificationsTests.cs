using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Notifications;

namespace PipelineFunctions.Core.Tests.Orchestration.Notifications;

/// <summary>What a finished run says in the channel: how it ended, its figures or its error, and a promotion.</summary>
public sealed class RunNotificationsTests
{
    private static readonly DateTime Start = new(2026, 11, 22, 4, 0, 0, DateTimeKind.Utc);

    private static StepOutcome Step(string step, string status, Dictionary<string, long>? metrics = null, int attempts = 1) =>
        new(step, status, null, null, "fp", Start, Start, null, [], [], metrics ?? [], attempts);

    private static RunSummary Summary(string status, RetrainingOutcome? retraining = null, string? error = null) =>
        new("weekly-2026-11-22", "vet_lva", status, new PipelineRunRequest("vet_lva", "vet_lva"), Start, Start.AddSeconds(95),
        [
            Step(PipelineSteps.DataPreparation, StepStatuses.Succeeded),
            Step(PipelineSteps.Recommendations, status == StepStatuses.Failed ? StepStatuses.Failed : StepStatuses.Succeeded,
                new() { ["visitors"] = 1234, ["recommendations"] = 12340, ["capacity_refusals"] = 7 }, attempts: 2),
        ], retraining, error);

    [Fact]
    public void A_completed_run_says_so_with_its_duration_steps_and_headline_figures()
    {
        var summary = Summary(StepStatuses.Succeeded);
        var message = Assert.Single(RunNotifications.For(summary));

        Assert.Equal((RunNotification.RunEnded, "weekly-2026-11-22", "vet_lva"), (message.Kind, message.RunId, message.Event));
        Assert.Equal(
            "Personal Agendas run completed: event vet_lva, run weekly-2026-11-22\n" +
            "Status: Completed in 1 min 35 s\n" +
            "Steps: data_preparation succeeded, recommendations succeeded (2 attempts)\n" +
            "Recommendations: 12,340 recommendations, 1,234 visitors",
            message.Text);
        // What the orchestration sends the activity (no artifact lists, only shown counts) says the same.
        var compact = summary.ForActivity(RunNotifications.IsShown);
        Assert.Equal(message.Text, Assert.Single(RunNotifications.For(compact)).Text);
        Assert.DoesNotContain("capacity_refusals", compact.Steps[1].Metrics.Keys);
    }

    [Fact]
    public void A_failed_run_says_so_with_its_error_cut_to_a_readable_length()
    {
        var error = "recommendations: " + new string('x', 5_000);

        var message = Assert.Single(RunNotifications.For(Summary(StepStatuses.Failed, error: error)));

        Assert.StartsWith("Personal Agendas run FAILED: event vet_lva, run weekly-2026-11-22\nStatus: Failed in 1 min 35 s\n", message.Text);
        var errorLine = message.Text.Split('\n').Single(l => l.StartsWith("Error: ", StringComparison.Ordinal));
        Assert.Equal("Error: ".Length + RunNotifications.ErrorCharacters, errorLine.Length);
        Assert.StartsWith("Error: recommendations: xxx", errorLine);
        Assert.DoesNotContain("Recommendations:", message.Text);
    }

    [Fact]
    public void A_promotion_is_a_second_message_with_the_model_and_its_score_against_the_previous_one()
    {
        var retraining = new RetrainingOutcome("ranker-20261122-0400", true, "beats the current model by 0.0125", 0.61234, 0.59984,
            "ranker-20261115-0400");

        var messages = RunNotifications.For(Summary(StepStatuses.Succeeded, retraining));

        Assert.Equal([RunNotification.RunEnded, RunNotification.ModelPromoted], messages.Select(m => m.Kind));
        Assert.Equal(
            "Personal Agendas ranker model promoted: event vet_lva, run weekly-2026-11-22\n" +
            "Model ranker-20261122-0400: NDCG@10 0.6123 against 0.5998 for the previous model ranker-20261115-0400 (+0.0125)\n" +
            "Reason: beats the current model by 0.0125",
            messages[1].Text);
    }

    [Fact]
    public void A_first_model_is_promoted_with_nothing_to_compare_and_a_kept_model_sends_no_promotion()
    {
        var first = RunNotifications.For(Summary(StepStatuses.Succeeded, new RetrainingOutcome("ranker-1", true, "no current model", 0.5, null)));
        Assert.Contains("Model ranker-1: NDCG@10 0.5000 with no previous model to compare against", first[1].Text);

        var kept = RunNotifications.For(Summary(StepStatuses.Succeeded, new RetrainingOutcome("ranker-2", false, "not better", 0.5, 0.6)));
        Assert.Equal(RunNotification.RunEnded, Assert.Single(kept).Kind);
        Assert.EndsWith("Ranker: model kept (not better)", kept[0].Text);
    }

    [Fact]
    public void A_degraded_current_model_is_named_in_the_run_ended_message_and_a_sound_one_is_not()
    {
        const string degradation = "model degradation: the current model ranker-1 scores NDCG@10 0.1867 on the newest data, 54.0 % below "
            + "its 0.4061 at registration (margin 10 %)";
        var degraded = new RetrainingOutcome("ranker-2", false, "not better", 0.18, 0.1867, "ranker-1")
        {
            CurrentRegisteredNdcgAt10 = 0.4061, Degradation = degradation,
        };

        var message = Assert.Single(RunNotifications.For(Summary(StepStatuses.Succeeded, degraded)));
        Assert.Contains($"\nRanker: {degradation}", message.Text);

        var sound = new RetrainingOutcome("ranker-2", false, "not better", 0.40, 0.40, "ranker-1") { CurrentRegisteredNdcgAt10 = 0.41 };
        Assert.DoesNotContain("degradation", Assert.Single(RunNotifications.For(Summary(StepStatuses.Succeeded, sound))).Text);
    }
}
