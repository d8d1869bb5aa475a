namespace PipelineFunctions.Core.Orchestration;

/// <summary>A step activity's input: the run, its plan and the outcomes of the steps before it.</summary>
public sealed record StepActivityInput(PipelineRunInput Run, RunPlan Plan, string Step, IReadOnlyList<StepOutcome> Previous);
