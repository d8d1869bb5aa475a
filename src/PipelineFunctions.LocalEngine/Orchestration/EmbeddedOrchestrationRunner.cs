using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>
/// The local host's Durable engine: schedules the pipeline orchestration as instances in the run store and executes
/// them by replay (see <see cref="ReplayOrchestrationContext"/>). An instance id runs once: creating it twice is
/// refused atomically by the store; a lease keeps two processes from executing the same instance; a run stopped or
/// crashed at any point continues with <see cref="ResumeAsync"/>, replaying what completed and re-running only the
/// activity that was in flight (or, for a failed run, the failed one).
/// </summary>
public sealed class EmbeddedOrchestrationRunner : IAsyncDisposable
{
    private readonly IRunStore _store;
    private readonly PipelineActivities _activities;
    private readonly TimeProvider _time;
    private readonly RunnerOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, (Task Task, CancellationTokenSource Cancel)> _running = new(StringComparer.Ordinal);
    // Terminated through this runner: a terminate landing between reading an instance and marking it Running must win.
    private readonly ConcurrentDictionary<string, string> _terminated = new(StringComparer.Ordinal);
    // Shutdown (see BeginShutdown): no new run or activity starts once it fires.
    private readonly CancellationTokenSource _drain = new();
    // The contexts of the instances executing, to count the activities in flight and wait for them.
    private readonly ConcurrentDictionary<string, ReplayOrchestrationContext> _contexts = new(StringComparer.Ordinal);
    // Makes "not executing here yet, so start it" one step: a submission and the recovery scan may both start an instance.
    private readonly Lock _startGate = new();

    internal EmbeddedOrchestrationRunner(IRunStore store, PipelineActivities activities, TimeProvider time, RunnerOptions options,
        ILogger<EmbeddedOrchestrationRunner> logger)
    {
        (_store, _activities, _time, _options, _logger) = (store, activities, time, options, logger);
        _slots = new SemaphoreSlim(options.MaxConcurrentRuns);
    }

    public IRunStore Store => _store;

    /// <summary>Raised (on the executing thread) whenever a running instance sets its custom status.</summary>
    public event Action<string, object?>? Progress;

    /// <summary>Raised when this process has claimed an interrupted instance (see <see cref="RecoverInterruptedAsync"/>) and
    /// starts executing it; with its status as the stopped process left it.</summary>
    public event Action<RunInstance>? Recovering;

    /// <summary>Raised when an execution of an instance ends (completed or failed).</summary>
    public event Action<RunExecutionStats>? Executed;

    /// <summary>Creates the instance (Pending). Throws <see cref="InstanceExistsException"/> when the id is taken.</summary>
    public async Task<RunInstance> CreateAsync(PipelineRunRequest request, string instanceId, CancellationToken cancellationToken = default)
    {
        RunRequestValidation.ValidateInstanceId(instanceId);
        var now = _time.GetUtcNow().UtcDateTime;
        var input = new PipelineRunInput(request, instanceId);
        var instance = new RunInstance(instanceId, PipelineOrchestration.Name, RuntimeStatuses.Pending,
            JsonSerializer.Serialize(input, PipelineJson.Options), null, null, now, now, request.Event);
        if (!await _store.TryCreateAsync(instance, cancellationToken)) throw new InstanceExistsException(instanceId);
        return instance;
    }

    /// <summary>Creates the instance and executes it in the background; returns at once.</summary>
    public async Task<RunInstance> StartAsync(PipelineRunRequest request, string instanceId, CancellationToken cancellationToken = default)
    {
        if (IsShuttingDown) throw new RunnerShuttingDownException();
        var instance = await CreateAsync(request, instanceId, cancellationToken);
        StartInBackground(instanceId);
        return instance;
    }

    /// <summary>Executes (or continues) an instance to its end in the background; the task is kept so callers can wait for it.
    /// Does nothing when the instance is executing in this process already.</summary>
    public void StartInBackground(string instanceId) => TryStartInBackground(instanceId, claimOnce: false);

    /// <summary>How often a process looks for interrupted instances to take over: a third of the lease, so a second process
    /// takes over soon after the first one's leases expire.</summary>
    public TimeSpan RecoveryInterval => _options.Lease / 3;

    /// <summary>
    /// Instances left Pending or Running that no process executes: their lease is free or expired and they are not executing
    /// here. Those of a process that died, and any Pending one waiting for a free slot in another process (it holds no lease yet).
    /// </summary>
    public async Task<IReadOnlyList<RunInstance>> ListInterruptedAsync(CancellationToken cancellationToken = default) =>
        (await _store.ListClaimableAsync(Now(), cancellationToken)).Where(i => !_running.ContainsKey(i.InstanceId)).ToList();

    /// <summary>How long a process's claim on an instance lasts without renewal; another process takes over only after it.</summary>
    public TimeSpan Lease => _options.Lease;

    /// <summary>
    /// Pending or Running instances whose lease another process holds: a live one executing them, or one that died and whose
    /// lease has not expired yet (the recovery scans take those over once it has). For telling the user, never for deciding.
    /// </summary>
    public async Task<IReadOnlyList<RunInstance>> ListLeasedElsewhereAsync(CancellationToken cancellationToken = default)
    {
        var claimable = (await _store.ListClaimableAsync(Now(), cancellationToken)).Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
        var active = await _store.ListAsync(new RunQuery([RuntimeStatuses.Pending, RuntimeStatuses.Running], Top: int.MaxValue),
            cancellationToken);
        return active.Where(i => !claimable.Contains(i.InstanceId) && !_running.ContainsKey(i.InstanceId)).ToList();
    }

    /// <summary>
    /// Takes over, in the background, every interrupted instance (see <see cref="ListInterruptedAsync"/>), as Durable does when
    /// its host comes back: completed activities are replayed, the rest run (the one in flight at the crash runs again). Each
    /// waits for a slot like a new run, then claims the lease with one conditional write; if another process claimed it first,
    /// it is skipped, not waited for. Returns the instances it queued; none once shutting down, when the instances this
    /// process leaves are for the next one.
    /// </summary>
    public async Task<IReadOnlyList<RunInstance>> RecoverInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var queued = new List<RunInstance>();
        if (IsShuttingDown) return queued;
        foreach (var instance in await ListInterruptedAsync(cancellationToken))
            if (TryStartInBackground(instance.InstanceId, claimOnce: true)) queued.Add(instance);
        return queued;
    }

    private bool TryStartInBackground(string instanceId, bool claimOnce)
    {
        lock (_startGate)
        {
            if (_running.ContainsKey(instanceId)) return false;
            var cancel = new CancellationTokenSource();
            var task = Task.Run(() => ExecuteInBackgroundAsync(instanceId, claimOnce, cancel.Token));
            (Task Task, CancellationTokenSource Cancel) entry = (task, cancel);
            _running[instanceId] = entry;
            // Removes this execution's entry only (a later one may have replaced it), even when the task is over already.
            _ = task.ContinueWith(_ => _running.TryRemove(KeyValuePair.Create(instanceId, entry)), TaskScheduler.Default);
            return true;
        }
    }

    /// <summary>Nobody awaits a background execution: an unexpected failure is logged here rather than lost. The instance stays
    /// as it was (Running, its lease released), so the next recovery scan tries it again.</summary>
    private async Task<RunInstance> ExecuteInBackgroundAsync(string instanceId, bool claimOnce, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(instanceId, claimOnce, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(e, "Instance {InstanceId} stopped unexpectedly: {Message}", instanceId, e.Message);
            throw;
        }
    }

    /// <summary>Executes an instance in the calling flow until it completes, fails or is terminated.</summary>
    public async Task<RunInstance> RunAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var task = ExecuteAsync(instanceId, claimOnce: false, cancel.Token);
        _running[instanceId] = (task, cancel);
        try
        {
            return await task;
        }
        finally
        {
            _running.TryRemove(instanceId, out _);
        }
    }

    /// <summary>
    /// Continues a stopped, crashed or failed instance. A failed one is rewound first: its failed activity (and the
    /// retry timers before it) are dropped from history, so that step runs again, now that the cause may be gone; of a
    /// failed fan-out only the failed parts run again.
    /// </summary>
    public async Task<RunInstance> ResumeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var instance = await _store.GetAsync(instanceId, cancellationToken)
            ?? throw new PipelineInputException("instance", $"no instance with id '{instanceId}'");
        if (instance.RuntimeStatus == RuntimeStatuses.Completed)
            throw new PipelineInputException("instance", $"'{instanceId}' has completed already; start a new run");
        _terminated.TryRemove(instanceId, out _);
        if (instance.RuntimeStatus is RuntimeStatuses.Failed or RuntimeStatuses.Terminated)
        {
            var history = await _store.GetHistoryAsync(instanceId, cancellationToken);
            var keep = history.Count;
            // The failed run's summary, its announcement and end telemetry, its failed attempts and the retry timers between them.
            while (keep > 0 && (history[keep - 1].FailureType is not null || history[keep - 1].Kind == "timer"
                || history[keep - 1].Name is PipelineActivityNames.PublishRunSummary or PipelineActivityNames.NotifyRunEnded
                    or PipelineActivityNames.RecordRunEnd)) keep--;
            await _store.TruncateHistoryAsync(instanceId, keep == 0 ? 0 : history[keep - 1].Sequence + 1, cancellationToken);
            // A fan-out's last round may end with parts that succeeded after one that failed: keep those, drop the failed
            // ones (the round is the run of calls to the same part activity back to the last timer).
            var round = new List<int>();
            for (var i = keep - 1; i >= 0 && history[i].Kind == "activity" && history[i].Name == history[keep - 1].Name; i--)
                if (history[i].FailureType is not null) round.Add(history[i].Sequence);
            if (round.Count > 0) await _store.DeleteHistoryEventsAsync(instanceId, round, cancellationToken);
            await _store.UpdateAsync(instanceId, RuntimeStatuses.Pending, instance.CustomStatusJson, null, _time.GetUtcNow().UtcDateTime,
                cancellationToken);
        }
        return await RunAsync(instanceId, cancellationToken);
    }

    /// <summary>Stops an instance. One executing in this process is cancelled at once; one in another process stops when it next
    /// renews its lease.</summary>
    public async Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default)
    {
        var instance = await _store.GetAsync(instanceId, cancellationToken);
        if (instance is null || RuntimeStatuses.IsFinal(instance.RuntimeStatus)) return false;
        _terminated[instanceId] = reason;
        await _store.UpdateAsync(instanceId, RuntimeStatuses.Terminated, instance.CustomStatusJson, JsonSerializer.Serialize(reason),
            _time.GetUtcNow().UtcDateTime, cancellationToken);
        if (_running.TryGetValue(instanceId, out var running)) await running.Cancel.CancelAsync();
        return true;
    }

    /// <summary>Deletes a finished instance and its history; a pending or running one must be terminated first.</summary>
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var instance = await _store.GetAsync(instanceId, cancellationToken);
        if (instance is null) return false;
        if (!RuntimeStatuses.IsFinal(instance.RuntimeStatus))
            throw new PipelineInputException("instance", $"'{instanceId}' is {instance.RuntimeStatus}; terminate it before purging");
        return await _store.PurgeAsync(instanceId, cancellationToken);
    }

    /// <summary>How long a cancelled activity may take to stop before its instance's lease is left to expire instead.</summary>
    public static readonly TimeSpan ActivityStopWait = TimeSpan.FromSeconds(10);

    /// <summary>True once <see cref="BeginShutdown"/> was called: no run or activity starts any more.</summary>
    public bool IsShuttingDown => _drain.IsCancellationRequested;

    /// <summary>
    /// Starts a graceful shutdown: from now on <see cref="StartAsync"/> refuses new runs, no instance starts executing,
    /// and executing instances start no new activity (nor fan-out part, nor retry timer). The activities already
    /// executing go on; <see cref="CompleteShutdownAsync"/> waits for them. Returns what was in flight.
    /// </summary>
    public RunnerShutdownStart BeginShutdown()
    {
        _drain.Cancel();
        return new RunnerShutdownStart(_running.Keys.Order(StringComparer.Ordinal).ToList(), _contexts.Values.Sum(c => c.ActivitiesExecuting));
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the activities executing to finish (each is recorded in history), then
    /// cancels those still executing and gives them <see cref="ActivityStopWait"/> to stop. Every unfinished instance is
    /// left Pending or Running (not failed) with its lease released, so the next process, or `pa resume`, continues it
    /// at once, replaying what completed. Begins the shutdown first when <see cref="BeginShutdown"/> was not called.
    /// </summary>
    public async Task<RunnerShutdown> CompleteShutdownAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (!IsShuttingDown) BeginShutdown();
        var runs = _running.ToArray();
        var ended = Task.WhenAll(runs.Select(r => r.Value.Task.ContinueWith(_ => { }, TaskScheduler.Default)));
        var cancelled = 0;
        if (!await EndsWithinAsync(ended, grace, cancellationToken))
        {
            cancelled = _contexts.Values.Sum(c => c.ActivitiesExecuting);
            foreach (var (_, run) in runs) await run.Cancel.CancelAsync();
            await EndsWithinAsync(ended, ActivityStopWait, cancellationToken);
        }
        var left = new List<RunInstance>();
        foreach (var (id, _) in runs.OrderBy(r => r.Key, StringComparer.Ordinal))
            if (await _store.GetAsync(id, cancellationToken) is { } instance) left.Add(instance);
        var notStopped = runs.Where(r => !r.Value.Task.IsCompleted).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        return new RunnerShutdown(left, cancelled, notStopped);
    }

    private async Task<bool> EndsWithinAsync(Task task, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(limit, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Waits for an instance executing in this process (returns at once for others).</summary>
    public Task WaitAsync(string instanceId) => _running.TryGetValue(instanceId, out var running) ? running.Task : Task.CompletedTask;

    /// <param name="claimOnce">Recovery: claim the lease once and return at once (nothing done) when another process holds
    /// it, instead of waiting for it to expire.</param>
    private async Task<RunInstance> ExecuteAsync(string instanceId, bool claimOnce, CancellationToken cancellationToken)
    {
        // Shutting down: an instance still waiting for a place stays Pending, for the next process.
        if (!await WaitForRunSlotAsync(cancellationToken))
            return await _store.GetAsync(instanceId, CancellationToken.None)
                ?? throw new InvalidOperationException($"instance {instanceId} vanished");
        using var leaseStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? renewal = null;
        ReplayOrchestrationContext? context = null;
        try
        {
            if (claimOnce)
            {
                if (!await TryClaimAsync(instanceId, cancellationToken))
                    return await _store.GetAsync(instanceId, CancellationToken.None) ?? Gone(instanceId);
            }
            else await AcquireLeaseAsync(instanceId, cancellationToken);
            renewal = RenewLeaseAsync(instanceId, leaseStop);
            var instance = await _store.GetAsync(instanceId, cancellationToken)
                ?? throw new InvalidOperationException($"instance {instanceId} vanished");
            if (RuntimeStatuses.IsFinal(instance.RuntimeStatus)) return instance;
            if (claimOnce)
            {
                _logger.LogInformation("Resuming interrupted instance {InstanceId} (left {Status} by a process that stopped)",
                    instanceId, instance.RuntimeStatus);
                Recovering?.Invoke(instance);
            }
            await _store.UpdateAsync(instanceId, RuntimeStatuses.Running, instance.CustomStatusJson, null, Now(), CancellationToken.None);
            if (_terminated.TryGetValue(instanceId, out var reason)) return await MarkTerminatedAsync(instanceId, reason);

            var history = await _store.GetHistoryAsync(instanceId, cancellationToken);
            var started = _time.GetTimestamp();
            context = new ReplayOrchestrationContext(instanceId, instance.CreatedTime, _store, history,
                (name, input, ct) => _activities.InvokeAsync(name, input, ct), _time, leaseStop.Token, _options.ActivitiesAtOnce, _drain.Token,
                _owner, () => leaseStop.Cancel());
            _contexts[instanceId] = context;
            context.CustomStatusChanged += status =>
            {
                _store.SetCustomStatusAsync(instanceId, JsonSerializer.Serialize(status, PipelineJson.Options), Now()).GetAwaiter().GetResult();
                Progress?.Invoke(instanceId, status);
            };
            var input = JsonSerializer.Deserialize<PipelineRunInput>(instance.InputJson, PipelineJson.Options)!;
            string status, output;
            try
            {
                var summary = await PipelineOrchestration.RunAsync(context, input);
                (status, output) = (RuntimeStatuses.Completed, JsonSerializer.Serialize(summary, PipelineJson.Options));
            }
            catch (PipelineRunFailedException e)
            {
                // As Durable: a failed instance's output is its error; the custom status carries the compact failure
                // with the URI of the published summary.
                (status, output) = (RuntimeStatuses.Failed, JsonSerializer.Serialize(e.Message));
            }
            catch (NonDeterministicOrchestrationException e)
            {
                (status, output) = (RuntimeStatuses.Failed, JsonSerializer.Serialize(e.Message));
            }
            catch (LeaseLostException e)
            {
                // Taken over by another process: it owns the instance now; nothing more is written here.
                _logger.LogWarning("Instance {InstanceId} stopped here: {Message}", instanceId, e.Message);
                return await _store.GetAsync(instanceId, CancellationToken.None) ?? instance;
            }
            catch (OperationCanceledException) when (_drain.IsCancellationRequested && !leaseStop.IsCancellationRequested)
            {
                // Shutting down: the activities already executing finish (or are cancelled when the grace period ends)
                // and are recorded; the instance stays Running for a resume, which replays them.
                if (context is not null) await context.WhenIdleAsync();
                return await _store.GetAsync(instanceId, CancellationToken.None) ?? instance;
            }
            catch (OperationCanceledException) when (leaseStop.IsCancellationRequested)
            {
                // Terminated (here or by another process), or this process is shutting down: the store says which.
                if (_terminated.TryGetValue(instanceId, out var terminatedFor)) return await MarkTerminatedAsync(instanceId, terminatedFor);
                return await _store.GetAsync(instanceId, CancellationToken.None) ?? instance;
            }
            // The lease was lost (or the instance terminated elsewhere) as the orchestration ended: the store decides, not this process.
            if (leaseStop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                return await _store.GetAsync(instanceId, CancellationToken.None) ?? instance;
            var customStatus = context.CustomStatus is null ? null : JsonSerializer.Serialize(context.CustomStatus, PipelineJson.Options);
            await _store.UpdateAsync(instanceId, status, customStatus, output, Now(), CancellationToken.None);
            _logger.LogInformation("Instance {InstanceId} {Status}: {Activities} activities run, {Replayed} replayed",
                instanceId, status, context.ActivitiesRun, history.Count);
            Executed?.Invoke(new RunExecutionStats(instanceId, context.ActivitiesRun, history.Count, context.ActivityTime,
                _time.GetElapsedTime(started)));
            return (await _store.GetAsync(instanceId, CancellationToken.None))!;
        }
        finally
        {
            await leaseStop.CancelAsync();
            if (renewal is not null) await renewal.ContinueWith(_ => { }, TaskScheduler.Default);
            // An activity still executing could record its result after another process took the instance over: the lease
            // goes only once none is; one that ignores its cancellation keeps the lease until it expires on its own.
            var idle = context is null || await IdleWithinAsync(context, ActivityStopWait);
            _contexts.TryRemove(instanceId, out _);
            if (idle)
            {
                await _store.ReleaseLeaseAsync(instanceId, _owner, CancellationToken.None);
                context?.Dispose();
            }
            else
                _logger.LogWarning(
                    "Instance {InstanceId}: an activity did not stop within {Seconds} s of being cancelled; its lease is left to expire",
                    instanceId, ActivityStopWait.TotalSeconds);
            _slots.Release();
        }
    }

    /// <summary>False when shutdown began before a place was free: the instance is left as it is.</summary>
    private async Task<bool> WaitForRunSlotAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _drain.Token);
        try
        {
            await _slots.WaitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (IsShuttingDown && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        if (!IsShuttingDown) return true;
        _slots.Release();
        return false;
    }

    private async Task<bool> IdleWithinAsync(ReplayOrchestrationContext context, TimeSpan limit)
    {
        try
        {
            await context.WhenIdleAsync().WaitAsync(limit, _time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<RunInstance> MarkTerminatedAsync(string instanceId, string reason)
    {
        var current = await _store.GetAsync(instanceId, CancellationToken.None);
        await _store.UpdateAsync(instanceId, RuntimeStatuses.Terminated, current?.CustomStatusJson, JsonSerializer.Serialize(reason), Now(),
            CancellationToken.None);
        return (await _store.GetAsync(instanceId, CancellationToken.None))!;
    }

    /// <summary>Claims the lease with one conditional write: false when another process holds it (or the instance is gone).</summary>
    private async Task<bool> TryClaimAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            if (await _store.TryAcquireLeaseAsync(instanceId, _owner, Now() + _options.Lease, Now(), cancellationToken)) return true;
        }
        catch (InvalidOperationException)
        {
            return false; // purged since the scan listed it
        }
        _logger.LogDebug("Instance {InstanceId} is executed by another process; left to it", instanceId);
        return false;
    }

    /// <summary>Stands for an instance purged while this process was about to take it over (nobody reads it but the caller).</summary>
    private RunInstance Gone(string instanceId) =>
        new(instanceId, PipelineOrchestration.Name, RuntimeStatuses.Terminated, "null", null, null, Now(), Now(), null);

    /// <summary>A lease held by a process that stopped expires on its own; wait for it rather than run the instance twice.</summary>
    private async Task AcquireLeaseAsync(string instanceId, CancellationToken cancellationToken)
    {
        var giveUp = Now() + _options.Lease * 2;
        while (!await _store.TryAcquireLeaseAsync(instanceId, _owner, Now() + _options.Lease, Now(), cancellationToken))
        {
            if (Now() > giveUp) throw new PipelineInputException("instance", $"'{instanceId}' is being executed by another process");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private async Task RenewLeaseAsync(string instanceId, CancellationTokenSource stop)
    {
        using var timer = new PeriodicTimer(_options.Lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var instance = await _store.GetAsync(instanceId, stop.Token);
                // Terminated from elsewhere (another process or the API), or the lease was lost: stop executing.
                if (instance?.RuntimeStatus == RuntimeStatuses.Terminated
                    || !await _store.TryAcquireLeaseAsync(instanceId, _owner, Now() + _options.Lease, Now(), stop.Token))
                {
                    await stop.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the execution.
        }
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, running) in _running) await running.Cancel.CancelAsync();
        await Task.WhenAll(_running.Values.Select(r => r.Task.ContinueWith(_ => { }, TaskScheduler.Default)));
    }
}
