using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>
/// The local runner's <see cref="IPipelineOrchestrationContext"/>: Durable's replay model on the run store. Each
/// activity call or timer is the next event of the instance's history; while history remains, calls return the
/// recorded result without running anything (IsReplaying), and a call that does not match the recorded one is a
/// non-determinism error. Past the history, activities run for real and their result is recorded before the
/// orchestration sees it, so a crash loses at most the activities in flight; a fan-out's parallel activities run up to
/// a limit at once and are recorded as each completes, so a resumed fan-out runs only the parts that had not.
/// Once its drain token fires (the process is shutting down), no activity starts and no timer is waited for: the
/// activities already executing finish and are recorded, every later call ends the orchestration with an
/// <see cref="OperationCanceledException"/>, and a resume continues from there.
/// </summary>
internal sealed class ReplayOrchestrationContext : IPipelineOrchestrationContext, IDisposable
{
    private readonly IRunStore _store;
    private readonly Dictionary<int, HistoryEvent> _history;
    private readonly int _historyEnd;
    private readonly Func<string, JsonElement, CancellationToken, Task<object?>> _runActivity;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private readonly SemaphoreSlim _activitySlots;
    private readonly CancellationToken _drain;
    // Cancelled by either the execution's token or the drain: what waits (for a free place, a timer) stops on both.
    private readonly CancellationTokenSource _stopping;
    private readonly ConcurrentDictionary<int, Task> _executing = new();
    private readonly string? _leaseOwner;
    private readonly Action? _leaseLost;
    private readonly Lock _gate = new();
    private int _next;
    private int _guids;
    private long _activityTicks;
    private int _activitiesRun;
    private int _activitiesRunning;
    private long _busySince;

    /// <param name="maxParallelActivities">Activities of a fan-out run at once (the rest wait for a free place).</param>
    /// <param name="leaseOwner">When set, events are recorded only while this owner holds the instance's lease; once another
    /// process took the instance over, <paramref name="leaseLost"/> is called and the call throws <see cref="LeaseLostException"/>.</param>
    /// <param name="drain">Fires when no new activity may start (shutdown); those executing go on until done or cancelled.</param>
    public ReplayOrchestrationContext(string instanceId, DateTime startedAt, IRunStore store, IReadOnlyList<HistoryEvent> history,
        Func<string, JsonElement, CancellationToken, Task<object?>> runActivity, TimeProvider time, CancellationToken cancellation,
        int maxParallelActivities = 1, CancellationToken drain = default, string? leaseOwner = null, Action? leaseLost = null)
    {
        (_leaseOwner, _leaseLost) = (leaseOwner, leaseLost);
        _drain = drain;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation, drain);
        InstanceId = instanceId;
        CurrentUtcDateTime = startedAt;
        (_store, _runActivity, _time, _cancellation) = (store, runActivity, time, cancellation);
        _history = history.ToDictionary(e => e.Sequence);
        _historyEnd = history.Count == 0 ? 0 : history.Max(e => e.Sequence) + 1;
        _activitySlots = new SemaphoreSlim(Math.Max(1, maxParallelActivities));
    }

    public string InstanceId { get; }
    public DateTime CurrentUtcDateTime { get; private set; }

    /// <summary>True while calls remain that the history answers (a fan-out cut short may leave gaps, run for real).</summary>
    public bool IsReplaying => _next < _historyEnd;

    /// <summary>Activities run for real by this context (not replayed).</summary>
    public int ActivitiesRun => _activitiesRun;

    /// <summary>
    /// Time during which at least one activity ran for real, parallel ones counted once (the rest of the run is the
    /// orchestration's own overhead; a sum over parallel activities would exceed the run's time).
    /// </summary>
    public TimeSpan ActivityTime => TimeSpan.FromTicks(Interlocked.Read(ref _activityTicks));

    /// <summary>Activities executing for real right now (started, not yet recorded).</summary>
    public int ActivitiesExecuting => _executing.Count;

    /// <summary>The latest custom status the orchestration set.</summary>
    public object? CustomStatus { get; private set; }

    public event Action<object?>? CustomStatusChanged;

    /// <summary>
    /// Each call takes the next sequence number when it is made (the orchestration's own order, the same on every replay);
    /// its result is recorded under that number when it completes, in whatever order parallel calls complete.
    /// </summary>
    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input)
    {
        _cancellation.ThrowIfCancellationRequested();
        var sequence = _next++;
        var recorded = Replay(sequence, "activity", name);
        if (recorded is null)
        {
            var inputJson = JsonSerializer.SerializeToElement(input, PipelineJson.Options);
            ThrowIfDraining(name);
            await _activitySlots.WaitAsync(_stopping.Token);
            if (_drain.IsCancellationRequested)
            {
                _activitySlots.Release();
                ThrowIfDraining(name);
            }
            var execution = ExecuteAsync(sequence, name, inputJson);
            _executing[sequence] = execution;
            try
            {
                recorded = await execution;
            }
            finally
            {
                _executing.TryRemove(sequence, out _);
            }
        }
        Advance(recorded.RecordedAt);
        if (recorded.FailureType is not null) throw new ActivityFailedException(name, recorded.FailureType, recorded.FailureMessage ?? "");
        return JsonSerializer.Deserialize<TResult>(recorded.ResultJson!, PipelineJson.Options)!;
    }

    /// <summary>Runs an activity that holds one of the places, and records its result before the orchestration sees it.</summary>
    private async Task<HistoryEvent> ExecuteAsync(int sequence, string name, JsonElement inputJson)
    {
        string? result = null, failureType = null, failureMessage = null;
        var startedAt = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
            if (_activitiesRunning++ == 0) _busySince = _time.GetTimestamp();
        try
        {
            // On the thread pool: an activity's synchronous start must not hold up the calls made after it.
            var output = await Task.Run(() => _runActivity(name, inputJson, _cancellation), _cancellation);
            result = output is null ? "null" : JsonSerializer.Serialize(output, output.GetType(), PipelineJson.Options);
        }
        catch (Exception e) when (!_cancellation.IsCancellationRequested)
        {
            // A failure while the run is being stopped is the stop's doing, not the activity's: it is not recorded, and
            // the activity runs again on resume.
            (failureType, failureMessage) = (e.GetType().FullName ?? e.GetType().Name, e.Message);
        }
        finally
        {
            _activitySlots.Release();
            lock (_gate)
                if (--_activitiesRunning == 0) Interlocked.Add(ref _activityTicks, _time.GetElapsedTime(_busySince).Ticks);
        }
        Interlocked.Increment(ref _activitiesRun);
        var recorded = new HistoryEvent(sequence, "activity", name, result, failureType, failureMessage, _time.GetUtcNow().UtcDateTime,
            startedAt);
        await RecordAsync(recorded);
        return recorded;
    }

    /// <summary>
    /// Completes when every activity executing now has ended (recorded, failed or cancelled); never throws. Once draining,
    /// no new one starts, so this is the point after which the instance can be handed to another process.
    /// </summary>
    public Task WhenIdleAsync() => Task.WhenAll(_executing.Values).ContinueWith(_ => { }, TaskScheduler.Default);

    public async Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken cancellationToken)
    {
        var name = fireAtUtc.ToString("O");
        var sequence = _next++;
        var recorded = Replay(sequence, "timer", name);
        if (recorded is null)
        {
            ThrowIfDraining("timer");
            recorded = new HistoryEvent(sequence, "timer", name, null, null, null, fireAtUtc);
            await RecordAsync(recorded);
        }
        // A recorded timer that has not fired yet (the process stopped while waiting) still waits out its time.
        var wait = fireAtUtc - _time.GetUtcNow().UtcDateTime;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, _stopping.Token);
        Advance(fireAtUtc);
    }

    public void SetCustomStatus(object? status)
    {
        CustomStatus = status;
        if (!IsReplaying) CustomStatusChanged?.Invoke(status);
    }

    /// <summary>Deterministic: derived from the instance id and a counter, like Durable's name-based GUIDs.</summary>
    public Guid NewGuid()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{InstanceId}:{_guids++}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// Records a new event. Under a lease, the store writes it only if the lease is still this owner's: an activity that
    /// finished after the instance was taken over (it ignored the cancellation, or finished just then) leaves no trace,
    /// and the new owner runs it again in its place.
    /// </summary>
    private async Task RecordAsync(HistoryEvent recorded)
    {
        if (_leaseOwner is null)
        {
            await _store.AppendHistoryAsync(InstanceId, recorded, CancellationToken.None);
            return;
        }
        if (await _store.TryAppendHistoryAsync(InstanceId, recorded, _leaseOwner, CancellationToken.None)) return;
        _leaseLost?.Invoke();
        throw new LeaseLostException(InstanceId);
    }

    /// <summary>The orchestration's clock moves forward only: parallel calls may complete out of their recorded order.</summary>
    private void Advance(DateTime recordedAt)
    {
        lock (_gate)
            if (recordedAt > CurrentUtcDateTime) CurrentUtcDateTime = recordedAt;
    }

    private void ThrowIfDraining(string what)
    {
        if (_drain.IsCancellationRequested)
            throw new OperationCanceledException($"instance {InstanceId}: shutting down, {what} not started", _drain);
    }

    public void Dispose() => _stopping.Dispose();

    private HistoryEvent? Replay(int sequence, string kind, string name)
    {
        if (!_history.TryGetValue(sequence, out var recorded)) return null;
        if (recorded.Kind != kind || recorded.Name != name)
            throw new NonDeterministicOrchestrationException(
                $"instance {InstanceId}: replay expected {recorded.Kind} '{recorded.Name}' at history event {sequence}, " +
                $"but the orchestration asked for {kind} '{name}' " +
                "(the orchestration code or the run's input changed since the run started)");
        return recorded;
    }
}
