namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>One part of a fanned-out step: which wave and which part of it, with the step's input and plan.</summary>
public sealed record StepPartInput(StepActivityInput Step, FanOutPlan Plan, int Wave, int Index);
