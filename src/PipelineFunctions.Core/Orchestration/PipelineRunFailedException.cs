namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The run failed: the summary so far (the failed step included) travels with the error, and
/// <see cref="SummaryUri"/> says where the orchestration published it (null when publishing failed too).
/// </summary>
public sealed class PipelineRunFailedException(RunSummary summary, Uri? summaryUri) : Exception(summary.Error)
{
    public RunSummary Summary { get; } = summary;

    public Uri? SummaryUri { get; } = summaryUri;
}
