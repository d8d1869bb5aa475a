namespace PipelineFunctions.Core.Orchestration;

/// <summary>A step activity's input: the run, its plan and the outcomes of the steps before it.</summary>
public sealed record StepActivityInput(PipelineRunInput Run, RunPlan Plan, string Step, IReadOnlyList<StepOutcome> Previous)
{
    /// <summary>The outcome of an earlier step this one reads from; the orchestration always passes it.</summary>
    public StepOutcome PreviousOutcome(string step) =>
        Previous.SingleOrDefault(o => o.Step == step) ?? throw new InvalidOperationException($"{Step} runs after {step}, which has no outcome");
}
