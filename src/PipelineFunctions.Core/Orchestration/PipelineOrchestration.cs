using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Core.Orchestration.Notifications;
using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The pipeline as a Durable orchestration: plan, then step 1 -> 2 -> 3 -> 4 (a step left out of the request
/// reuses the newest earlier outputs), then optionally the ranker's retraining. Each step is one activity call with
/// its retry policy from the event config; a user error (bad input) is never retried. Only small records cross
/// activity boundaries. Deterministic: all time, ids and I/O come through the context or the activities.
/// A completed run's output is its <see cref="RunSummary"/>. A failed run publishes its summary as an artifact, leaves
/// a compact <see cref="RunProgress"/> with the error and the summary's URI as its custom status (the same shape in
/// both hosts, and within Durable's limit), and fails with <see cref="PipelineRunFailedException"/>. Either way the
/// run's end is announced first (<see cref="NotifyAsync"/>), and a notification not delivered is a warning in the summary.
/// </summary>
public static class PipelineOrchestration
{
    public const string Name = "PersonalAgendasPipeline";

    public static async Task<RunSummary> RunAsync(IPipelineOrchestrationContext context, PipelineRunInput input)
    {
        var startedAt = context.CurrentUtcDateTime;
        var request = input.Request;
        var progress = PipelineSteps.All.ToDictionary(s => s, _ => new StepProgress(StepStatuses.Pending, 0, null));
        void Report(string? current, int done) => context.SetCustomStatus(Status(input, progress, current, done));

        Report(null, 0);
        RunPlan plan;
        try
        {
            plan = await context.CallActivityAsync<RunPlan>(PipelineActivityNames.PlanRun, input);
        }
        catch (ActivityFailedException e)
        {
            var summary = new RunSummary(input.RunId, request.Event, StepStatuses.Failed, request, startedAt, context.CurrentUtcDateTime, [], null,
                RunStatusLimits.Cut(e.ErrorMessage, RunStatusLimits.SummaryErrorCharacters));
            throw await FailAsync(context, summary, Status(input, progress, null, 0));
        }

        var outcomes = new List<StepOutcome>();
        if (plan.Analyse) progress[PipelineSteps.PostShowAnalysis] = new StepProgress(StepStatuses.Pending, 0, null);
        async Task<PipelineRunFailedException> StepFailedAsync(string step, int attempts, string? error)
        {
            progress[step] = new StepProgress(StepStatuses.Failed, attempts, null, progress[step].Parts);
            error = RunStatusLimits.Cut(error, RunStatusLimits.SummaryErrorCharacters);
            var failed = new StepOutcome(step, StepStatuses.Failed, null, null, "", context.CurrentUtcDateTime, context.CurrentUtcDateTime,
                null, [], [], new Dictionary<string, long>(), attempts, error);
            var summary = new RunSummary(input.RunId, request.Event, StepStatuses.Failed, request, startedAt, context.CurrentUtcDateTime,
                [.. outcomes, failed], null, $"{step}: {error}");
            return await FailAsync(context, summary, Status(input, progress, step, outcomes.Count));
        }

        foreach (var step in PipelineSteps.All)
        {
            var run = plan.Steps.Contains(step);
            progress[step] = new StepProgress(StepStatuses.Running, 1, null);
            Report(step, outcomes.Count);
            var stepInput = new StepActivityInput(input, plan, step, outcomes.Select(o => o.ForLaterSteps()).ToList());
            var policy = run ? plan.Retries[step] : ActivityRetryPolicy.Once;
            var (outcome, attempts, error) = !run
                ? await ActivityCalls.WithRetryAsync<StepOutcome>(context, PipelineActivityNames.ReuseStep, stepInput, policy)
                : PipelineActivityNames.FanOutFor(step) is { } fanOut
                    ? await StepFanOut.RunAsync(context, fanOut, stepInput, policy, parts =>
                    {
                        progress[step] = progress[step] with { Parts = parts };
                        Report(step, outcomes.Count);
                    })
                    : await ActivityCalls.WithRetryAsync<StepOutcome>(context, PipelineActivityNames.ForStep(step), stepInput, policy);
            if (outcome is null) throw await StepFailedAsync(step, attempts, error);
            outcome = outcome with { Attempts = attempts };
            outcomes.Add(outcome);
            progress[step] = new StepProgress(outcome.Status, attempts, Headline(outcome.Metrics), progress[step].Parts);
            Report(null, outcomes.Count);
        }

        var warnings = new List<string>();
        if (plan.Analyse)
        {
            // After the show: this year's scans against the agendas just made or reused. Asked for, so a failure fails the run.
            const string analysis = PipelineSteps.PostShowAnalysis;
            progress[analysis] = new StepProgress(StepStatuses.Running, 1, null);
            Report(analysis, outcomes.Count);
            var (analysed, attempts, error) = await ActivityCalls.WithRetryAsync<StepOutcome>(context, PipelineActivityNames.AnalysePostShow,
                new StepActivityInput(input, plan, analysis, outcomes.Select(o => o.ForLaterSteps()).ToList()), plan.Retries[analysis]);
            if (analysed is null) throw await StepFailedAsync(analysis, attempts, error);
            outcomes.Add(analysed with { Attempts = attempts });
            if (outcomes.Single(o => o.Step == PipelineSteps.Recommendations).ReusedFromRunId is null)
                warnings.Add($"{analysis}: step 4 ran in this run, so the agendas analysed are this run's, not those an earlier run sent "
                    + "(its inputs, config or ranker changed since); to analyse the agendas that were sent, pa analyse --run-id <that run>");
            progress[analysis] = new StepProgress(analysed.Status, attempts, Headline(analysed.Metrics));
            Report(null, outcomes.Count);
        }

        RetrainingOutcome? retraining = null;
        if (plan.Retrain)
        {
            var (trained, _, error) = await ActivityCalls.WithRetryAsync<RetrainingOutcome>(context, PipelineActivityNames.RetrainRanker,
                new StepActivityInput(input, plan, "retraining", outcomes.Select(o => o.ForLaterSteps()).ToList()), plan.Retries["retraining"]);
            // A failed retraining leaves the current model in place; the run's exports are still good.
            retraining = trained ?? new RetrainingOutcome("", false, $"retraining failed: {error}", 0, null);
        }
        // Announced first, so the telemetry and the summary carry a notification's warning.
        var completed = await NotifyAsync(context, new RunSummary(input.RunId, request.Event, StepStatuses.Succeeded, request, startedAt,
            context.CurrentUtcDateTime, outcomes, retraining, null)
        { Warnings = warnings });
        await RecordEndAsync(context, completed);
        return completed;
    }

    /// <summary>
    /// Announces the run's end (an activity: the orchestration does no I/O). The activity turns any delivery failure into
    /// a warning, and an activity that fails anyway only adds one too: a notification never changes how the run ends.
    /// </summary>
    private static async Task<RunSummary> NotifyAsync(IPipelineOrchestrationContext context, RunSummary summary)
    {
        IReadOnlyList<string> warnings;
        try
        {
            warnings = (await context.CallActivityAsync<RunNotificationOutcome>(PipelineActivityNames.NotifyRunEnded,
                summary.ForActivity(RunNotifications.IsShown))).Warnings;
        }
        catch (ActivityFailedException e)
        {
            // The error's message could quote what the notifier was given; its type says enough.
            warnings = [$"run notification not sent: activity {PipelineActivityNames.NotifyRunEnded} failed ({e.ErrorType})"];
        }
        return warnings.Count == 0 ? summary : summary with { Warnings = [.. summary.Warnings, .. warnings] };
    }

    private static RunProgress Status(PipelineRunInput input, Dictionary<string, StepProgress> progress, string? current, int done) =>
        new(input.RunId, input.Request.Event, current, done, progress.Count, new Dictionary<string, StepProgress>(progress));

    /// <summary>
    /// Announces the failure, publishes the failed run's summary (activities: the orchestration does no I/O) and leaves
    /// the compact failure as the custom status. A summary that cannot be published still leaves the error in the status.
    /// </summary>
    private static async Task<PipelineRunFailedException> FailAsync(IPipelineOrchestrationContext context, RunSummary summary, RunProgress status)
    {
        summary = await NotifyAsync(context, summary);
        Uri? summaryUri = null;
        try
        {
            // The activity reads the steps' artifact lists back from each step's outcome.json.
            summaryUri = (await context.CallActivityAsync<ArtifactReference?>(PipelineActivityNames.PublishRunSummary, summary.ForActivity()))?.Uri;
        }
        catch (ActivityFailedException)
        {
            // The status below still names the failed step and the error; only the full summary is missing.
        }
        await RecordEndAsync(context, summary);
        context.SetCustomStatus(status with { Error = RunStatusLimits.Cut(summary.Error, RunStatusLimits.ErrorCharacters), SummaryUri = summaryUri });
        return new PipelineRunFailedException(summary, summaryUri);
    }

    /// <summary>
    /// The run's end telemetry (its span, metrics and log event) from the RecordRunEnd activity: an activity runs once
    /// however often the orchestration replays. Telemetry that cannot be recorded never fails the run.
    /// </summary>
    private static async Task RecordEndAsync(IPipelineOrchestrationContext context, RunSummary summary)
    {
        try
        {
            await context.CallActivityAsync<bool>(PipelineActivityNames.RecordRunEnd,
                new RunEndedInput(context.InstanceId, summary.ForActivity(RecommendationCounts.Reported.Contains)));
        }
        catch (ActivityFailedException)
        {
            // The run's outcome stands; only its telemetry is missing.
        }
    }

    /// <summary>At most eight counts per step go into the custom status (it must stay far under 16 KB).</summary>
    private static IReadOnlyDictionary<string, long> Headline(IReadOnlyDictionary<string, long> metrics) =>
        metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Take(8).ToDictionary(m => m.Key, m => m.Value);
}
