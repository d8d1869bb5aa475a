namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// The orchestration's side of a fanned-out step: plan, then each wave's parts with at most the plan's number in
/// flight, then the fan-in. Failed parts are retried together in rounds after the whole wave has finished (a durable
/// timer between rounds), so the order of activity calls, and with it the replayed history, does not depend on which
/// part happened to finish first. A user error in any part fails the step at once, without retries.
/// </summary>
internal static class StepFanOut
{
    public static async Task<(StepOutcome? Outcome, int Attempts, string? Error)> RunAsync(IPipelineOrchestrationContext context,
        FanOutActivityNames names, StepActivityInput input, ActivityRetryPolicy policy, Action<FanOutProgress> report)
    {
        var (plan, attempts, error) = await ActivityCalls.WithRetryAsync<FanOutPlan>(context, names.Begin, input, policy);
        if (plan is null) return (null, attempts, error);
        if (plan.Reused is { } reused) return (reused, attempts, null);

        var done = 0;
        report(new FanOutProgress(0, plan.TotalParts, plan.Unit));
        for (var wave = 0; wave < plan.Waves.Count; wave++)
        {
            IReadOnlyList<int> pending = Enumerable.Range(0, plan.Waves[wave]).ToList();
            for (var round = 1; pending.Count > 0; round++)
            {
                attempts = Math.Max(attempts, round);
                var failures = await RunRoundAsync(context, names.Part, input, plan, wave, pending, () =>
                    report(new FanOutProgress(++done, plan.TotalParts, plan.Unit)));
                if (failures.Count == 0) break;
                var userError = failures.FindIndex(f => f.Failure.IsUserError);
                if (userError >= 0 || round >= policy.MaxAttempts)
                {
                    var first = failures[Math.Max(0, userError)];
                    // Which part failed, when there is more than one to tell apart.
                    var label = plan.Waves[wave] == 1 ? "" : $"part {first.Index + 1} of {plan.Waves[wave]} {plan.Unit}: ";
                    return (null, round, label + first.Failure.ErrorMessage);
                }
                await context.CreateTimerAsync(context.CurrentUtcDateTime + policy.DelayAfter(round), CancellationToken.None);
                pending = failures.Select(f => f.Index).ToList();
            }
        }

        var (outcome, finishAttempts, finishError) = await ActivityCalls.WithRetryAsync<StepOutcome>(context, names.Finish,
            new StepFinishInput(input, plan), policy);
        return (outcome, Math.Max(attempts, finishAttempts), finishError);
    }

    /// <summary>Runs the given parts with at most MaxInFlight scheduled at once; returns the failed ones in part order.</summary>
    private static async Task<List<(int Index, ActivityFailedException Failure)>> RunRoundAsync(IPipelineOrchestrationContext context,
        string activity, StepActivityInput input, FanOutPlan plan, int wave, IReadOnlyList<int> parts, Action partDone)
    {
        var inFlight = new Dictionary<Task<StepPartResult>, int>();
        var failures = new List<(int Index, ActivityFailedException Failure)>();
        var next = 0;
        var limit = Math.Max(1, plan.MaxInFlight);
        while (next < parts.Count || inFlight.Count > 0)
        {
            while (next < parts.Count && inFlight.Count < limit)
            {
                var index = parts[next++];
                inFlight[context.CallActivityAsync<StepPartResult>(activity, new StepPartInput(input, plan, wave, index))] = index;
            }
            var finished = await Task.WhenAny(inFlight.Keys);
            var part = inFlight[finished];
            inFlight.Remove(finished);
            try
            {
                await finished;
                partDone();
            }
            catch (ActivityFailedException e)
            {
                failures.Add((part, e));
            }
        }
        failures.Sort((a, b) => a.Index.CompareTo(b.Index));
        return failures;
    }
}
