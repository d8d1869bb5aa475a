using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalServer;

/// <summary>What a server found unfinished in its run store when it started.</summary>
/// <param name="Resuming">Runs no process executes (their lease free or expired): queued here.</param>
/// <param name="LeasedElsewhere">Runs another process holds the lease of: a second server executing them, or one that died,
/// whose runs this server takes over once the lease expires.</param>
public sealed record RecoveryAtStart(IReadOnlyList<RunInstance> Resuming, IReadOnlyList<RunInstance> LeasedElsewhere)
{
    public static RecoveryAtStart None { get; } = new([], []);
}
