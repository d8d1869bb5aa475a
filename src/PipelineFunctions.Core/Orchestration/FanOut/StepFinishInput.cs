namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>The fan-in of a fanned-out step: every part has finished; their outputs are at the run's deterministic paths.</summary>
public sealed record StepFinishInput(StepActivityInput Step, FanOutPlan Plan);
