namespace PipelineFunctions.Core.Orchestration;

/// <summary>Activity calls with the event's retry policy, shared by the orchestration and its fan-outs.</summary>
internal static class ActivityCalls
{
    /// <summary>Calls an activity, retrying with durable timers per the policy; a user error is not retried.</summary>
    public static async Task<(T? Result, int Attempts, string? Error)> WithRetryAsync<T>(
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
}
