namespace PipelineFunctions.LocalEngine.Orchestration;

/// <param name="MaxConcurrentRuns">Runs executing at once in this process; more wait as Pending.</param>
/// <param name="LeaseDuration">How long a process's claim on a running instance lasts without renewal (renewed at a third of it).</param>
/// <param name="ParallelActivities">A run's fanned-out activities executing at once; null: one per core.</param>
internal sealed record RunnerOptions(int MaxConcurrentRuns = 2, TimeSpan? LeaseDuration = null, int? ParallelActivities = null)
{
    public TimeSpan Lease => LeaseDuration ?? TimeSpan.FromSeconds(15);

    public int ActivitiesAtOnce => Math.Max(1, ParallelActivities ?? Environment.ProcessorCount);
}
