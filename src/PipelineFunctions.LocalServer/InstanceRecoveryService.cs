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
    private readonly TaskCompletionSource<RecoveryAtStart> _firstScan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the scan at start found (nothing if it failed or the server stopped first).</summary>
    public Task<RecoveryAtStart> FirstScan => _firstScan.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        runner.Recovering += Log;
        try
        {
            using var timer = new PeriodicTimer(runner.RecoveryInterval, time);
            do
            {
                try
                {
                    var queued = await runner.RecoverInterruptedAsync(stoppingToken);
                    if (!_firstScan.Task.IsCompleted)
                        _firstScan.TrySetResult(new RecoveryAtStart(queued, await runner.ListLeasedElsewhereAsync(stoppingToken)));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or briefly unreadable run store: the next scan tries again.
                    logger.LogError(e, "Looking for interrupted runs failed: {Message}", e.Message);
                    _firstScan.TrySetResult(RecoveryAtStart.None);
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
            runner.Recovering -= Log;
            _firstScan.TrySetResult(RecoveryAtStart.None);
        }
    }

    /// <summary>A warning: a process stopped without finishing its runs, worth a line in the server's quiet default log.</summary>
    private void Log(RunInstance instance) => logger.LogWarning("Resuming interrupted run {InstanceId} (left {Status} by a process that stopped)",
        instance.InstanceId, instance.RuntimeStatus);
}
