namespace PipelineFunctions.Core.Orchestration;

/// <summary>An activity failed. Mirrors Durable's TaskFailedException: the activity name and the error's type and message.</summary>
public sealed class ActivityFailedException(string activity, string errorType, string errorMessage)
    : Exception($"activity {activity} failed: {errorMessage}")
{
    public string Activity { get; } = activity;

    /// <summary>Full name of the exception type thrown by the activity.</summary>
    public string ErrorType { get; } = errorType;

    public string ErrorMessage { get; } = errorMessage;

    /// <summary>Errors a user caused (bad input or config) fail the same way every time: never retried.</summary>
    public bool IsUserError => ErrorType == typeof(PipelineInputException).FullName;
}
