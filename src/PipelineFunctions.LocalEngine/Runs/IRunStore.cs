namespace PipelineFunctions.LocalEngine.Runs;

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
    Task UpdateAsync(string instanceId, string runtimeStatus, string? customStatusJson, string? outputJson, DateTime at,
        CancellationToken cancellationToken = default);

    /// <summary>Only the custom status (called often while a run is in flight).</summary>
    Task SetCustomStatusAsync(string instanceId, string? customStatusJson, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Appends an event; fails if an event with that sequence number exists (two writers).</summary>
    Task AppendHistoryAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Removes events from this sequence number on (a rewind: a failed activity is retried on resume).</summary>
    Task TruncateHistoryAsync(string instanceId, int fromSequence, CancellationToken cancellationToken = default);

    /// <summary>Removes single events (failed parts of a fan-out, re-run on resume while the others' results are kept).</summary>
    Task DeleteHistoryEventsAsync(string instanceId, IReadOnlyCollection<int> sequences, CancellationToken cancellationToken = default);

    /// <summary>Takes or renews the lease when it is free, expired or already the owner's; false when another owner holds it.</summary>
    Task<bool> TryAcquireLeaseAsync(string instanceId, string owner, DateTime expiresAt, DateTime now, CancellationToken cancellationToken = default);

    Task ReleaseLeaseAsync(string instanceId, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pending or Running instances whose lease is free or expired at <paramref name="now"/>, oldest first: the ones no live
    /// process executes, which a process may take over (with <see cref="TryAcquireLeaseAsync"/>, which settles races).
    /// </summary>
    Task<IReadOnlyList<RunInstance>> ListClaimableAsync(DateTime now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends an event only while <paramref name="leaseOwner"/> holds the instance's lease, decided in the same statement:
    /// false, and nothing written, once another process has taken the instance over (or it is gone).
    /// </summary>
    Task<bool> TryAppendHistoryAsync(string instanceId, HistoryEvent historyEvent, string leaseOwner,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes the instance and its history; false when there was none.</summary>
    Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default);
}
