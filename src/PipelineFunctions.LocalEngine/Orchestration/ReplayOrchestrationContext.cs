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
/// orchestration sees it, so a crash loses at most the activity in flight.
/// </summary>
internal sealed class ReplayOrchestrationContext : IPipelineOrchestrationContext
{
    private readonly IRunStore _store;
    private readonly IReadOnlyList<HistoryEvent> _history;
    private readonly Func<string, JsonElement, CancellationToken, Task<object?>> _runActivity;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private int _next;
    private int _guids;

    public ReplayOrchestrationContext(string instanceId, DateTime startedAt, IRunStore store, IReadOnlyList<HistoryEvent> history,
        Func<string, JsonElement, CancellationToken, Task<object?>> runActivity, TimeProvider time, CancellationToken cancellation)
    {
        InstanceId = instanceId;
        CurrentUtcDateTime = startedAt;
        (_store, _history, _runActivity, _time, _cancellation) = (store, history, runActivity, time, cancellation);
    }

    public string InstanceId { get; }
    public DateTime CurrentUtcDateTime { get; private set; }
    public bool IsReplaying => _next < _history.Count;

    /// <summary>Activities run for real by this context (not replayed).</summary>
    public int ActivitiesRun { get; private set; }

    /// <summary>Time spent inside activities run for real (the rest of a run is the orchestration's own overhead).</summary>
    public TimeSpan ActivityTime { get; private set; }

    /// <summary>The latest custom status the orchestration set.</summary>
    public object? CustomStatus { get; private set; }

    public event Action<object?>? CustomStatusChanged;

    public async Task<TResult> CallActivityAsync<TResult>(string name, object? input)
    {
        _cancellation.ThrowIfCancellationRequested();
        var recorded = Replay("activity", name);
        if (recorded is null)
        {
            var inputJson = JsonSerializer.SerializeToElement(input, PipelineJson.Options);
            string? result = null, failureType = null, failureMessage = null;
            var started = _time.GetTimestamp();
            try
            {
                var output = await _runActivity(name, inputJson, _cancellation);
                result = output is null ? "null" : JsonSerializer.Serialize(output, output.GetType(), PipelineJson.Options);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_cancellation.IsCancellationRequested)
            {
                (failureType, failureMessage) = (e.GetType().FullName ?? e.GetType().Name, e.Message);
            }
            ActivitiesRun++;
            ActivityTime += _time.GetElapsedTime(started);
            recorded = new HistoryEvent(_next, "activity", name, result, failureType, failureMessage, _time.GetUtcNow().UtcDateTime);
            await _store.AppendHistoryAsync(InstanceId, recorded, CancellationToken.None);
        }
        _next++;
        CurrentUtcDateTime = recorded.RecordedAt;
        if (recorded.FailureType is not null) throw new ActivityFailedException(name, recorded.FailureType, recorded.FailureMessage ?? "");
        return JsonSerializer.Deserialize<TResult>(recorded.ResultJson!, PipelineJson.Options)!;
    }

    public async Task CreateTimerAsync(DateTime fireAtUtc, CancellationToken cancellationToken)
    {
        var name = fireAtUtc.ToString("O");
        var recorded = Replay("timer", name);
        if (recorded is null)
        {
            recorded = new HistoryEvent(_next, "timer", name, null, null, null, fireAtUtc);
            await _store.AppendHistoryAsync(InstanceId, recorded, CancellationToken.None);
        }
        _next++;
        // A recorded timer that has not fired yet (the process stopped while waiting) still waits out its time.
        var wait = fireAtUtc - _time.GetUtcNow().UtcDateTime;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, _cancellation);
        CurrentUtcDateTime = fireAtUtc;
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

    private HistoryEvent? Replay(string kind, string name)
    {
        if (_next >= _history.Count) return null;
        var recorded = _history[_next];
        if (recorded.Kind != kind || recorded.Name != name)
            throw new NonDeterministicOrchestrationException(
                $"instance {InstanceId}: replay expected {recorded.Kind} '{recorded.Name}' at history event {_next}, " +
                $"but the orchestration asked for {kind} '{name}' " +
                "(the orchestration code or the run's input changed since the run started)");
        return recorded;
    }
}
