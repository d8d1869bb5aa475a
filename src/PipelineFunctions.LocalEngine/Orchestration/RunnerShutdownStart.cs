namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>What was in flight when the shutdown began: the instances this process was executing or about to execute.</summary>
/// <param name="InstanceIds">Instances executing or waiting for a place, in id order.</param>
/// <param name="ActivitiesExecuting">Activities executing at that moment (left to finish within the grace period).</param>
public sealed record RunnerShutdownStart(IReadOnlyList<string> InstanceIds, int ActivitiesExecuting);
