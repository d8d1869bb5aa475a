namespace PipelineFunctions.Core.Orchestration;

/// <summary>Durable Functions' runtime statuses, as the management API spells them.</summary>
public static class RuntimeStatuses
{
    public const string Pending = "Pending", Running = "Running", Completed = "Completed", Failed = "Failed", Terminated = "Terminated";

    public static IReadOnlyList<string> All { get; } = [Pending, Running, Completed, Failed, Terminated];

    public static bool IsFinal(string status) => status is Completed or Failed or Terminated;
}

/// <summary>An orchestration instance as the run store keeps it; JSON documents are stored as text.</summary>
public sealed record RunInstance(
    string InstanceId, string Name, string RuntimeStatus, string InputJson, string? CustomStatusJson, string? OutputJson,
    DateTime CreatedTime, DateTime LastUpdatedTime, string? Event);

/// <summary>
/// One recorded orchestration event, in call order: an activity's result (or failure), a timer, or the
/// orchestration's start. <see cref="RecordedAt"/> is what CurrentUtcDateTime returns after replaying it.
/// </summary>
/// <param name="Kind">activity, timer</param>
/// <param name="Name">The activity name; for timers the fire time (round-trip format).</param>
public sealed record HistoryEvent(int Sequence, string Kind, string Name, string? ResultJson, string? FailureType, string? FailureMessage, DateTime RecordedAt);

/// <summary>Filters of the instance list (Durable's list query: status, created time window, page size).</summary>
public sealed record RunQuery(IReadOnlyCollection<string>? Statuses = null, DateTime? CreatedFrom = null, DateTime? CreatedTo = null, int Top = 100, string? Event = null);

/// <summary>
/// Where the embedded runner persists instances and their history, so a stopped or crashed run resumes by replay.
/// A lease marks the process running an instance: another process may take it over only once it expired.
/// </summary>
public interface IRunStore
{
    /// <summary>Creates the instance; false (and nothing changed) when the id exists already, even under concurrent calls.</summary>
    Task<bool> TryCreateAsync(RunInstance instance, CancellationToken cancellationToken = default);

    Task<RunInstance?> GetAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<RunInstance>> ListAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Sets the status and, when given, the custom status and output; LastUpdatedTime becomes <paramref name="at"/>.</summary>
    Task UpdateAsync(string instanceId, string runtimeStatus, string? customStatusJson, string? outputJson, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Only the custom status (called often while a run is in flight).</summary>
    Task SetCustomStatusAsync(string instanceId, string? customStatusJson, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Appends an event; fails if an event with that sequence number exists (two writers).</summary>
    Task AppendHistoryAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Removes events from this sequence number on (a rewind: a failed activity is retried on resume).</summary>
    Task TruncateHistoryAsync(string instanceId, int fromSequence, CancellationToken cancellationToken = default);

    /// <summary>Takes or renews the lease when it is free, expired or already the owner's; false when another owner holds it.</summary>
    Task<bool> TryAcquireLeaseAsync(string instanceId, string owner, DateTime expiresAt, DateTime now, CancellationToken cancellationToken = default);

    Task ReleaseLeaseAsync(string instanceId, string owner, CancellationToken cancellationToken = default);

    /// <summary>Deletes the instance and its history; false when there was none.</summary>
    Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default);
}
