using Microsoft.Data.Sqlite;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Tests.Runs;

/// <summary>The run store's side of recovery: which instances a process may take over, and history written only under the lease.</summary>
public sealed class SqliteRunStoreClaimTests : IDisposable
{
    private static readonly DateTime Monday = new(2026, 3, 2, 6, 0, 0, DateTimeKind.Utc);

    private readonly string _sandbox = Directory.CreateTempSubdirectory("pf-claims-").FullName;
    private readonly SqliteRunStore _store;

    public SqliteRunStoreClaimTests() => _store = new SqliteRunStore(Path.Combine(_sandbox, "runs.sqlite"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_sandbox, recursive: true);
    }

    [Fact]
    public async Task Claimable_instances_are_the_unfinished_ones_whose_lease_is_free_or_expired_oldest_first()
    {
        // Created out of order: the list is by creation time.
        await CreateAsync("running-expired", RuntimeStatuses.Running, Monday.AddMinutes(3), lease: ("dead", Monday.AddMinutes(5)));
        await CreateAsync("pending-free", RuntimeStatuses.Pending, Monday.AddMinutes(1));
        await CreateAsync("running-free", RuntimeStatuses.Running, Monday.AddMinutes(2));
        await CreateAsync("running-live", RuntimeStatuses.Running, Monday.AddMinutes(4), lease: ("alive", Monday.AddMinutes(20)));
        await CreateAsync("pending-live", RuntimeStatuses.Pending, Monday.AddMinutes(5), lease: ("alive", Monday.AddMinutes(30)));
        await CreateAsync("running-expiring-now", RuntimeStatuses.Running, Monday.AddMinutes(6), lease: ("dead", Monday.AddMinutes(10)));
        foreach (var status in new[] { RuntimeStatuses.Completed, RuntimeStatuses.Failed, RuntimeStatuses.Terminated })
        {
            await CreateAsync(status + "-free", status, Monday);
            await CreateAsync(status + "-expired", status, Monday, lease: ("dead", Monday.AddMinutes(1)));
        }

        // A lease expiring exactly now is over, as for TryAcquireLeaseAsync.
        Assert.Equal(["pending-free", "running-free", "running-expired", "running-expiring-now"], await ClaimableAsync(Monday.AddMinutes(10)));
        Assert.Equal(["pending-free", "running-free"], await ClaimableAsync(Monday.AddMinutes(4)));
        Assert.Equal(["pending-free", "running-free", "running-expired", "running-live", "pending-live", "running-expiring-now"],
            await ClaimableAsync(Monday.AddHours(1)));

        // Claimed by a live process, it is no longer listed; released without finishing (a stop), it is again.
        Assert.True(await _store.TryAcquireLeaseAsync("pending-free", "me", Monday.AddMinutes(11), Monday.AddMinutes(10)));
        Assert.DoesNotContain("pending-free", await ClaimableAsync(Monday.AddMinutes(10)));
        await _store.ReleaseLeaseAsync("pending-free", "me");
        Assert.Contains("pending-free", await ClaimableAsync(Monday.AddMinutes(10)));
        Assert.Empty(await new SqliteRunStore(Path.Combine(_sandbox, "empty.sqlite")).ListClaimableAsync(Monday));
    }

    [Fact]
    public async Task History_under_a_lease_is_written_only_while_the_writer_holds_it()
    {
        await CreateAsync("run", RuntimeStatuses.Running, Monday);
        Assert.True(await _store.TryAcquireLeaseAsync("run", "first", Monday.AddMinutes(1), Monday));
        Assert.True(await _store.TryAppendHistoryAsync("run", Activity(0), "first"));
        Assert.False(await _store.TryAppendHistoryAsync("run", Activity(1), "second"));

        // The first one's lease expires and the second takes the instance over: the first can add nothing more.
        Assert.True(await _store.TryAcquireLeaseAsync("run", "second", Monday.AddMinutes(3), Monday.AddMinutes(2)));
        Assert.False(await _store.TryAppendHistoryAsync("run", Activity(1), "first"));
        Assert.True(await _store.TryAppendHistoryAsync("run", Activity(1), "second"));
        Assert.Equal([Activity(0), Activity(1)], await _store.GetHistoryAsync("run"));

        // The event's number taken already is still refused loudly, not skipped; a gone instance has no lease to write under.
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.TryAppendHistoryAsync("run", Activity(1), "second"));
        Assert.False(await _store.TryAppendHistoryAsync("nobody", Activity(0), "second"));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryAppendHistoryAsync("run", Activity(2), " "));
    }

    private async Task CreateAsync(string id, string status, DateTime created, (string Owner, DateTime ExpiresAt)? lease = null)
    {
        Assert.True(await _store.TryCreateAsync(new RunInstance(id, "PipelineOrchestration", status, "{}", null, null, created, created, "lva")));
        if (lease is { } held) Assert.True(await _store.TryAcquireLeaseAsync(id, held.Owner, held.ExpiresAt, created));
    }

    private async Task<List<string>> ClaimableAsync(DateTime now) => (await _store.ListClaimableAsync(now)).Select(i => i.InstanceId).ToList();

    private static HistoryEvent Activity(int sequence) =>
        new(sequence, "activity", "step" + sequence, $$"""{"sequence":{{sequence}}}""", null, null, Monday.AddSeconds(sequence));
}
