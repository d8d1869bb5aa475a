using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>How a graceful shutdown ended.</summary>
/// <param name="Runs">The instances that were in flight, as the run store holds them now (Running or Pending: resumable).</param>
/// <param name="ActivitiesCancelled">Activities still executing when the grace period ended, and so cancelled (0: all finished).</param>
/// <param name="LeasesKept">
/// Instances whose cancelled activity did not stop in time: their lease is left to expire, after which another process
/// (or `pa resume`) takes them over.
/// </param>
public sealed record RunnerShutdown(IReadOnlyList<RunInstance> Runs, int ActivitiesCancelled, IReadOnlyList<string> LeasesKept);
