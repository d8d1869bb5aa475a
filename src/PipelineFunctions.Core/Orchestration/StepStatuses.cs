namespace PipelineFunctions.Core.Orchestration;

/// <summary>Step outcome statuses in the run summary.</summary>
public static class StepStatuses
{
    public const string Pending = "pending", Running = "running", Succeeded = "succeeded", Reused = "reused", Failed = "failed", Skipped = "skipped";
}
