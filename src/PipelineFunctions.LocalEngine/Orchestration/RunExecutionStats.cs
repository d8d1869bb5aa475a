namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>What one execution of an instance did: activities run and replayed, and where the time went.</summary>
public sealed record RunExecutionStats(string InstanceId, int ActivitiesRun, int ActivitiesReplayed, TimeSpan ActivityTime, TimeSpan Total);
