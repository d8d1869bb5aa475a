namespace PipelineFunctions.Core.Orchestration;

/// <summary>A retry policy as Durable's RetryPolicy states it.</summary>
public sealed record ActivityRetryPolicy(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient, TimeSpan MaxRetryInterval)
{
    public static ActivityRetryPolicy Once { get; } = new(1, TimeSpan.Zero, 1, TimeSpan.Zero);

    /// <summary>The wait after the given failed attempt (1-based).</summary>
    public TimeSpan DelayAfter(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryInterval.TotalSeconds, FirstRetryInterval.TotalSeconds * Math.Pow(BackoffCoefficient, attempt - 1)));
}
