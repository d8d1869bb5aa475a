namespace PipelineFunctions.Core.Orchestration;

/// <summary>A retry policy as Durable's RetryPolicy states it.</summary>
public sealed record ActivityRetryPolicy(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient, TimeSpan MaxRetryInterval)
{
    public static ActivityRetryPolicy Once { get; } = new(1, TimeSpan.Zero, 1, TimeSpan.Zero);

    /// <summary>The wait after the given failed attempt (1-based).</summary>
    public TimeSpan DelayAfter(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryInterval.TotalSeconds, FirstRetryInterval.TotalSeconds * Math.Pow(BackoffCoefficient, attempt - 1)));
}

/// <summary>What the planning activity settled: the validated request, resolved against the event's config.</summary>
public sealed record RunPlan(
    string RunId, string Event, IReadOnlyList<string> Steps, string Environment, bool Incremental, bool Force, bool Retrain,
    IReadOnlyDictionary<string, ActivityRetryPolicy> Retries, string ConfigSha256);

/// <summary>A step activity's input: the run, its plan and the outcomes of the steps before it.</summary>
public sealed record StepActivityInput(PipelineRunInput Run, RunPlan Plan, string Step, IReadOnlyList<StepOutcome> Previous);

/// <summary>The run failed: the summary so far (the failed step included) travels with the error.</summary>
public sealed class PipelineRunFailedException(RunSummary summary) : Exception(summary.Error)
{
    public RunSummary Summary { get; } = summary;
}

/// <summary>
/// The pipeline as a Durable orchestration: plan, then step 1 -> 2 -> 3 -> 4 (a step left out of the request
/// reuses the newest earlier outputs), then optionally the ranker's retraining. Each step is one activity call with
/// its retry policy from the event config; a user error (bad input) is never retried. Only small records cross
/// activity boundaries. Deterministic: all time, ids and I/O come through the context or the activities.
/// </summary>
public static class PipelineOrchestration
{
    public const string Name = "PersonalAgendasPipeline";

    public static async Task<RunSummary> RunAsync(IPipelineOrchestrationContext context, PipelineRunInput input)
    {
        var startedAt = context.CurrentUtcDateTime;
        var request = input.Request;
        var progress = PipelineSteps.All.ToDictionary(s => s, _ => new StepProgress(StepStatuses.Pending, 0, null));
        void Report(string? current, int done) =>
            context.SetCustomStatus(new RunProgress(input.RunId, request.Event, current, done, PipelineSteps.All.Count, new Dictionary<string, StepProgress>(progress)));

        Report(null, 0);
        RunPlan plan;
        try
        {
            plan = await context.CallActivityAsync<RunPlan>(PipelineActivityNames.PlanRun, input);
        }
        catch (ActivityFailedException e)
        {
            throw new PipelineRunFailedException(new RunSummary(input.RunId, request.Event, StepStatuses.Failed, request, startedAt, context.CurrentUtcDateTime, [], null, e.ErrorMessage));
        }

        var outcomes = new List<StepOutcome>();
        foreach (var step in PipelineSteps.All)
        {
            var run = plan.Steps.Contains(step);
            progress[step] = new StepProgress(StepStatuses.Running, 1, null);
            Report(step, outcomes.Count);
            var activity = run ? PipelineActivityNames.ForStep(step) : PipelineActivityNames.ReuseStep;
            var (outcome, attempts, error) = await CallWithRetryAsync<StepOutcome>(context, activity,
                new StepActivityInput(input, plan, step, outcomes), run ? plan.Retries[step] : ActivityRetryPolicy.Once);
            if (outcome is null)
            {
                progress[step] = new StepProgress(StepStatuses.Failed, attempts, null);
                Report(step, outcomes.Count);
                var failed = new StepOutcome(step, StepStatuses.Failed, null, null, "", context.CurrentUtcDateTime, context.CurrentUtcDateTime, null, [], [], new Dictionary<string, long>(), attempts, error);
                throw new PipelineRunFailedException(new RunSummary(input.RunId, request.Event, StepStatuses.Failed, request, startedAt, context.CurrentUtcDateTime,
                    [.. outcomes, failed], null, $"{step}: {error}"));
            }
            outcome = outcome with { Attempts = attempts };
            outcomes.Add(outcome);
            progress[step] = new StepProgress(outcome.Status, attempts, Headline(outcome.Metrics));
            Report(null, outcomes.Count);
        }

        RetrainingOutcome? retraining = null;
        if (plan.Retrain)
        {
            var (trained, _, error) = await CallWithRetryAsync<RetrainingOutcome>(context, PipelineActivityNames.RetrainRanker,
                new StepActivityInput(input, plan, "retraining", outcomes), plan.Retries["retraining"]);
            // A failed retraining leaves the current model in place; the run's exports are still good.
            retraining = trained ?? new RetrainingOutcome("", false, $"retraining failed: {error}", 0, null);
        }
        return new RunSummary(input.RunId, request.Event, StepStatuses.Succeeded, request, startedAt, context.CurrentUtcDateTime, outcomes, retraining, null);
    }

    /// <summary>Calls an activity, retrying with durable timers per the policy; a user error is not retried.</summary>
    private static async Task<(T? Result, int Attempts, string? Error)> CallWithRetryAsync<T>(
        IPipelineOrchestrationContext context, string activity, object input, ActivityRetryPolicy policy) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await context.CallActivityAsync<T>(activity, input), attempt, null);
            }
            catch (ActivityFailedException e) when (!e.IsUserError && attempt < policy.MaxAttempts)
            {
                await context.CreateTimerAsync(context.CurrentUtcDateTime + policy.DelayAfter(attempt), CancellationToken.None);
            }
            catch (ActivityFailedException e)
            {
                return (null, attempt, e.ErrorMessage);
            }
        }
    }

    /// <summary>At most eight counts per step go into the custom status (it must stay far under 16 KB).</summary>
    private static IReadOnlyDictionary<string, long> Headline(IReadOnlyDictionary<string, long> metrics) =>
        metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Take(8).ToDictionary(m => m.Key, m => m.Value);
}
