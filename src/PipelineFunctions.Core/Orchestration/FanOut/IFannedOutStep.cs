namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// A step run as three kinds of activity: one that plans (and may reuse an earlier run's outcome), parts that run in
/// parallel, and one fan-in that publishes the step's manifest. Each is idempotent: a part or fan-in that runs twice
/// (a retry, a replay after a crash) writes the same artifacts to the same paths.
/// </summary>
internal interface IFannedOutStep
{
    Task<FanOutPlan> BeginAsync(StepActivityInput input, CancellationToken cancellationToken);

    Task<StepPartResult> RunPartAsync(StepPartInput input, CancellationToken cancellationToken);

    Task<StepOutcome> FinishAsync(StepFinishInput input, CancellationToken cancellationToken);
}
