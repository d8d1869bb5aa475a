namespace PipelineFunctions.Core.Events;

public sealed class RetrySettings
{
    /// <summary>Attempts in all, the first included; 1 never retries.</summary>
    public int MaxAttempts { get; init; } = 3;
    public double FirstRetrySeconds { get; init; } = 5;
    public double BackoffCoefficient { get; init; } = 2;
    public double MaxRetrySeconds { get; init; } = 300;
}
