using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PipelineFunctions.LocalEngine.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Takes over interrupted runs as Durable does when its host comes back: at start, the instances a stopped process left
/// Pending or Running; then every <see cref="EmbeddedOrchestrationRunner.RecoveryInterval"/> (a third of the lease), so
/// with two servers on one run store the survivor takes the dead one's runs soon after their leases expire.
/// </summary>
internal sealed class InstanceRecoveryService(EmbeddedOrchestrationRunner runner, TimeProvider time, ILogger<InstanceRecoveryService> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource<IReadOnlyList<RunInstance>> _firstScan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The instances the scan at start queued for recovery (empty if it failed or the server stopped first).</summary>
    public Task<IReadOnlyList<RunInstance>> FirstScan => _firstScan.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(runner.RecoveryInterval, time);
            do
            {
                try
                {
                    _firstScan.TrySetResult(await runner.RecoverInterruptedAsync(stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or briefly unreadable run store: the next scan tries again.
                    logger.LogError(e, "Looking for interrupted runs failed: {Message}", e.Message);
                    _firstScan.TrySetResult([]);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
        finally
        {
            _firstScan.TrySetResult([]);
        }
    }
}
