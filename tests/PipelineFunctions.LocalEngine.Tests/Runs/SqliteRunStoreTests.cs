using System.Globalization;
using Microsoft.Data.Sqlite;
using PipelineFunctions.Core;
using PipelineFunctions.LocalEngine.Runs;

namespace PipelineFunctions.LocalEngine.Tests.Runs;

public sealed class SqliteRunStoreTests : IDisposable
{
    // Sub-millisecond ticks on purpose: the round trip must keep every tick.
    private static readonly DateTime Monday = new DateTime(2026, 3, 2, 6, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);

    private readonly string _sandbox = Directory.CreateTempSubdirectory("pf-runs-").FullName;
    private readonly string _databasePath;
    private readonly SqliteRunStore _store;

    public SqliteRunStoreTests()
    {
        _databasePath = Path.Combine(_sandbox, "state", "nested", "runs.sqlite");
        _store = new SqliteRunStore(_databasePath);
    }

    public void Dispose()
    {
        // The store pools its connections; release the file before removing it.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_sandbox, recursive: true);
    }

    // ------------------------------------------------------------------ file and schema

    [Fact]
    public async Task The_constructor_creates_the_folder_and_a_WAL_database_and_reopening_keeps_the_data()
    {
        Assert.True(File.Exists(_databasePath));
        Assert.Equal("wal", await ScalarAsync("PRAGMA journal_mode"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('instances', 'history')"));
        Assert.Equal(_databasePath, _store.DatabasePath);

        await _store.TryCreateAsync(Instance("a"));
        var reopened = new SqliteRunStore(_databasePath);

        Assert.Equal(Instance("a"), await reopened.GetAsync("a"));
    }

    [Fact]
    public async Task Stores_constructed_at_once_on_a_new_file_all_work()
    {
        var path = Path.Combine(_sandbox, "fresh", "runs.sqlite");

        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new SqliteRunStore(path))));

        Assert.True(await stores[0].TryCreateAsync(Instance("a")));
        Assert.Equal(Instance("a"), await stores[7].GetAsync("a"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_by_name_and_left_alone()
    {
        var path = Path.Combine(_sandbox, "not-a-database.sqlite");
        var content = new string('x', 4096);
        File.WriteAllText(path, content);

        var error = Assert.Throws<PipelineInputException>(() => new SqliteRunStore(path));

        Assert.Equal(path, error.File);
        Assert.Contains("run store", error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Fact]
    public async Task A_file_of_a_newer_schema_version_is_refused()
    {
        await ExecuteAsync("PRAGMA user_version = 99");
        SqliteConnection.ClearAllPools();

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteRunStore(_databasePath));

        Assert.Contains("99", error.Message, StringComparison.Ordinal);
        Assert.Contains(_databasePath, error.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ create and get

    [Fact]
    public async Task Create_then_get_round_trips_every_field_with_UTC_times()
    {
        var instance = new RunInstance("run-1", "PipelineOrchestration", RuntimeStatuses.Running, """{"event":"lva","mode":"full"}""",
            """{"step":"prepare"}""", """{"ok":true}""", Monday, Monday.AddMinutes(1).AddTicks(1), "lva");

        Assert.True(await _store.TryCreateAsync(instance));
        var read = await _store.GetAsync("run-1");

        Assert.Equal(instance, read);
        Assert.Equal(DateTimeKind.Utc, read!.CreatedTime.Kind);
        Assert.Equal(DateTimeKind.Utc, read.LastUpdatedTime.Kind);
        Assert.Equal("2026-03-02T06:00:00.1234567Z", await ScalarAsync("SELECT created_time FROM instances WHERE instance_id = 'run-1'"));
    }

    [Fact]
    public async Task Nullable_fields_round_trip_as_null()
    {
        var instance = Instance("bare") with { CustomStatusJson = null, OutputJson = null, Event = null };

        await _store.TryCreateAsync(instance);

        Assert.Equal(instance, await _store.GetAsync("bare"));
    }

    [Fact]
    public async Task Local_and_unspecified_times_are_stored_as_UTC()
    {
        var local = Monday.ToLocalTime();
        var unspecified = DateTime.SpecifyKind(Monday, DateTimeKind.Unspecified);

        await _store.TryCreateAsync(Instance("a") with { CreatedTime = local, LastUpdatedTime = unspecified });
        var read = (await _store.GetAsync("a"))!;

        Assert.Equal(Monday, read.CreatedTime);
        Assert.Equal(Monday, read.LastUpdatedTime);
        Assert.Equal(DateTimeKind.Utc, read.CreatedTime.Kind);
        Assert.Equal(DateTimeKind.Utc, read.LastUpdatedTime.Kind);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        Assert.Null(await _store.GetAsync("nobody"));
    }

    [Fact]
    public async Task Creating_an_existing_id_returns_false_and_changes_nothing()
    {
        var first = Instance("dup");
        Assert.True(await _store.TryCreateAsync(first));

        Assert.False(await _store.TryCreateAsync(
            first with { Name = "other", RuntimeStatus = RuntimeStatuses.Failed, CreatedTime = Monday.AddDays(1) }));

        Assert.Equal(first, await _store.GetAsync("dup"));
    }

    [Fact]
    public async Task Of_twenty_concurrent_creates_of_one_id_exactly_one_succeeds_and_its_row_is_stored()
    {
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var instance = Instance("race") with { InputJson = $$"""{"caller":{{i}}}""" };
            return (Instance: instance, Created: await _store.TryCreateAsync(instance));
        })).ToList();
        start.Set();

        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Created);
        Assert.Equal(winner.Instance, await _store.GetAsync("race"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM instances"));
    }

    [Fact]
    public async Task Invalid_instances_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryCreateAsync(Instance(" ")));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TryCreateAsync(Instance("a") with { RuntimeStatus = "running" }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _store.TryCreateAsync(Instance("a") with { Name = null! }));

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM instances"));
    }

    // ------------------------------------------------------------------ two stores on one file

    [Fact]
    public async Task Two_stores_on_one_file_see_each_others_writes()
    {
        var other = new SqliteRunStore(_databasePath);

        await _store.TryCreateAsync(Instance("shared"));
        Assert.False(await other.TryCreateAsync(Instance("shared")));
        await other.UpdateAsync("shared", RuntimeStatuses.Running, """{"step":"graph"}""", null, Monday.AddMinutes(5));
        await other.AppendHistoryAsync("shared", Activity(0));
        await _store.AppendHistoryAsync("shared", Activity(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.AppendHistoryAsync("shared", Activity(1)));
        Assert.True(await _store.TryAcquireLeaseAsync("shared", "process-a", Monday.AddMinutes(10), Monday));
        Assert.False(await other.TryAcquireLeaseAsync("shared", "process-b", Monday.AddMinutes(10), Monday.AddMinutes(1)));

        var seen = await _store.GetAsync("shared");
        Assert.Equal(RuntimeStatuses.Running, seen!.RuntimeStatus);
        Assert.Equal("""{"step":"graph"}""", seen.CustomStatusJson);
        Assert.Equal([0, 1], (await other.GetHistoryAsync("shared")).Select(e => e.Sequence));
        Assert.Equal(["shared"], (await other.ListAsync(new RunQuery())).Select(i => i.InstanceId));

        Assert.True(await other.PurgeAsync("shared"));
        Assert.Null(await _store.GetAsync("shared"));
    }

    [Fact]
    public async Task Two_stores_writing_at_once_lose_nothing()
    {
        var other = new SqliteRunStore(_databasePath);
        await _store.TryCreateAsync(Instance("busy"));

        // Each store appends its own half of the sequence numbers and updates the custom status, interleaved.
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 50; i += 2)
                {
                    await _store.AppendHistoryAsync("busy", Activity(i));
                    await _store.SetCustomStatusAsync("busy", $"{i}", Monday.AddSeconds(i));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 1; i < 50; i += 2)
                {
                    await other.AppendHistoryAsync("busy", Activity(i));
                    await other.TryCreateAsync(Instance($"other-{i}"));
                }
            }));

        Assert.Equal(Enumerable.Range(0, 50), (await _store.GetHistoryAsync("busy")).Select(e => e.Sequence));
        Assert.Equal(26, (await other.ListAsync(new RunQuery(Top: 1000))).Count);
    }

    // ------------------------------------------------------------------ list

    [Fact]
    public async Task List_is_newest_first_and_top_limits_it()
    {
        await _store.TryCreateAsync(Instance("old", created: Monday));
        await _store.TryCreateAsync(Instance("new", created: Monday.AddHours(2)));
        await _store.TryCreateAsync(Instance("mid", created: Monday.AddHours(1)));

        Assert.Equal(["new", "mid", "old"], await ListIdsAsync(new RunQuery()));
        Assert.Equal(["new", "mid"], await ListIdsAsync(new RunQuery(Top: 2)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ListAsync(new RunQuery(Top: 0)));
    }

    [Fact]
    public async Task List_orders_by_time_not_by_the_order_of_creation_or_id()
    {
        // Ten hours apart across midnight and a year boundary, created shuffled: text order must be time order.
        var start = new DateTime(2025, 12, 31, 20, 0, 0, DateTimeKind.Utc);
        foreach (var hour in new[] { 7, 2, 9, 0, 4, 8, 1, 6, 3, 5 })
            await _store.TryCreateAsync(Instance($"z{9 - hour}", created: start.AddHours(hour)));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"z{i}"), await ListIdsAsync(new RunQuery()));
    }

    [Fact]
    public async Task List_filters_by_status_created_window_and_event()
    {
        await _store.TryCreateAsync(Instance("p", created: Monday, status: RuntimeStatuses.Pending, eventName: "lva"));
        await _store.TryCreateAsync(Instance("r", created: Monday.AddHours(1), status: RuntimeStatuses.Running, eventName: "lva"));
        await _store.TryCreateAsync(Instance("c", created: Monday.AddHours(2), status: RuntimeStatuses.Completed, eventName: "bva"));
        await _store.TryCreateAsync(Instance("f", created: Monday.AddHours(3), status: RuntimeStatuses.Failed, eventName: null));

        Assert.Equal(["c", "r"], await ListIdsAsync(new RunQuery(Statuses: [RuntimeStatuses.Running, RuntimeStatuses.Completed])));
        Assert.Equal(["f", "c", "r", "p"], await ListIdsAsync(new RunQuery(Statuses: [])));
        Assert.Empty(await ListIdsAsync(new RunQuery(Statuses: [RuntimeStatuses.Terminated])));

        // From is inclusive, to is exclusive.
        Assert.Equal(["c", "r"], await ListIdsAsync(new RunQuery(CreatedFrom: Monday.AddHours(1), CreatedTo: Monday.AddHours(3))));
        Assert.Equal(["f", "c"], await ListIdsAsync(new RunQuery(CreatedFrom: Monday.AddHours(2))));
        Assert.Equal(["p"], await ListIdsAsync(new RunQuery(CreatedTo: Monday.AddTicks(1))));
        Assert.Empty(await ListIdsAsync(new RunQuery(CreatedTo: Monday)));

        Assert.Equal(["r", "p"], await ListIdsAsync(new RunQuery(Event: "lva")));
        Assert.Equal(["r"], await ListIdsAsync(new RunQuery(Statuses: [RuntimeStatuses.Running, RuntimeStatuses.Completed],
            CreatedTo: Monday.AddHours(2), Event: "lva")));
        Assert.Equal(["p"], await ListIdsAsync(new RunQuery(Event: "lva", Top: 1, CreatedTo: Monday.AddHours(1))));
    }

    // ------------------------------------------------------------------ update and custom status

    [Fact]
    public async Task Update_sets_the_status_and_the_given_documents_and_keeps_the_others()
    {
        await _store.TryCreateAsync(Instance("u") with { CustomStatusJson = """{"step":"prepare"}""", OutputJson = null });

        await _store.UpdateAsync("u", RuntimeStatuses.Running, """{"step":"graph"}""", null, Monday.AddMinutes(1));
        var running = (await _store.GetAsync("u"))!;
        await _store.UpdateAsync("u", RuntimeStatuses.Completed, null, """{"summary":1}""", Monday.AddMinutes(2));
        var completed = (await _store.GetAsync("u"))!;

        Assert.Equal((RuntimeStatuses.Running, """{"step":"graph"}""", (string?)null, Monday.AddMinutes(1)),
            (running.RuntimeStatus, running.CustomStatusJson, running.OutputJson, running.LastUpdatedTime));
        Assert.Equal((RuntimeStatuses.Completed, """{"step":"graph"}""", """{"summary":1}""", Monday.AddMinutes(2)),
            (completed.RuntimeStatus, completed.CustomStatusJson, completed.OutputJson, completed.LastUpdatedTime));
        Assert.Equal(Monday, completed.CreatedTime);
    }

    [Fact]
    public async Task Set_custom_status_sets_or_clears_only_the_custom_status()
    {
        await _store.TryCreateAsync(Instance("s"));

        await _store.SetCustomStatusAsync("s", """{"step":"embed"}""", Monday.AddSeconds(30));
        var set = (await _store.GetAsync("s"))!;
        await _store.SetCustomStatusAsync("s", null, Monday.AddSeconds(40));
        var cleared = (await _store.GetAsync("s"))!;

        Assert.Equal(Instance("s") with { CustomStatusJson = """{"step":"embed"}""", LastUpdatedTime = Monday.AddSeconds(30) }, set);
        Assert.Equal(Instance("s") with { CustomStatusJson = null, LastUpdatedTime = Monday.AddSeconds(40) }, cleared);
    }

    [Fact]
    public async Task Update_and_set_custom_status_of_an_unknown_id_throw_naming_it()
    {
        var update = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _store.UpdateAsync("ghost-1", RuntimeStatuses.Running, null, null, Monday));
        var custom = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.SetCustomStatusAsync("ghost-2", "{}", Monday));

        Assert.Contains("'ghost-1'", update.Message, StringComparison.Ordinal);
        Assert.Contains("'ghost-2'", custom.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM instances"));
    }

    // ------------------------------------------------------------------ history

    [Fact]
    public async Task History_comes_back_in_sequence_order_with_every_field()
    {
        await _store.TryCreateAsync(Instance("h"));
        await _store.TryCreateAsync(Instance("other"));
        var failure = new HistoryEvent(1, "activity", "PrepareGraph", null, "PipelineInputException", "sessions.csv, row 3: bad",
            Monday.AddSeconds(2), Monday.AddSeconds(1).AddTicks(3));
        var timer = new HistoryEvent(2, "timer", Monday.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture), null, null, null,
            Monday.AddMinutes(5));

        await _store.AppendHistoryAsync("h", timer);
        await _store.AppendHistoryAsync("h", Activity(0));
        await _store.AppendHistoryAsync("h", failure);
        await _store.AppendHistoryAsync("other", Activity(0) with { ResultJson = "\"other\"" });

        var history = await _store.GetHistoryAsync("h");
        Assert.Equal([Activity(0), failure, timer], history);
        Assert.All(history, e => Assert.Equal(DateTimeKind.Utc, e.RecordedAt.Kind));
        Assert.Equal(DateTimeKind.Utc, history[1].StartedAt!.Value.Kind);
        Assert.Empty(await _store.GetHistoryAsync("nobody"));
    }

    [Fact]
    public async Task A_version_1_file_gains_the_start_times_and_keeps_its_history()
    {
        var path = Path.Combine(_sandbox, "v1", "runs.sqlite");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // The version 1 schema as released: history without started_at.
            command.CommandText = """
                CREATE TABLE instances (instance_id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, runtime_status TEXT NOT NULL,
                    input TEXT NOT NULL, custom_status TEXT, output TEXT, created_time TEXT NOT NULL, last_updated_time TEXT NOT NULL,
                    event TEXT, lease_owner TEXT, lease_expires_at TEXT) STRICT;
                CREATE TABLE history (instance_id TEXT NOT NULL REFERENCES instances (instance_id) ON DELETE CASCADE,
                    sequence INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, result TEXT, failure_type TEXT,
                    failure_message TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (instance_id, sequence)) STRICT, WITHOUT ROWID;
                INSERT INTO instances VALUES ('old', 'p', 'Completed', '{}', NULL, NULL, '2026-03-02T06:00:00.0000000Z',
                    '2026-03-02T06:00:00.0000000Z', NULL, NULL, NULL);
                INSERT INTO history VALUES ('old', 0, 'activity', 'PlanRun', '1', NULL, NULL, '2026-03-02T06:00:01.0000000Z');
                PRAGMA user_version = 1;
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        var store = new SqliteRunStore(path);
        await store.AppendHistoryAsync("old", Activity(1) with { StartedAt = Monday });

        var history = await store.GetHistoryAsync("old");
        Assert.Equal(["PlanRun", "step1"], history.Select(e => e.Name));
        Assert.Null(history[0].StartedAt);
        Assert.Equal(Monday, history[1].StartedAt);
    }

    [Fact]
    public async Task Appending_an_existing_sequence_throws_and_keeps_the_first_event()
    {
        await _store.TryCreateAsync(Instance("h"));
        await _store.AppendHistoryAsync("h", Activity(0));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _store.AppendHistoryAsync("h", Activity(0) with { ResultJson = "\"second\"" }));

        Assert.Contains("'h'", error.Message, StringComparison.Ordinal);
        Assert.Equal([Activity(0)], await _store.GetHistoryAsync("h"));
    }

    [Fact]
    public async Task Appending_to_an_unknown_instance_throws_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.AppendHistoryAsync("ghost", Activity(0)));

        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncate_removes_events_from_the_sequence_on_and_they_can_be_appended_again()
    {
        await _store.TryCreateAsync(Instance("h"));
        await _store.TryCreateAsync(Instance("other"));
        for (var i = 0; i < 4; i++)
        {
            await _store.AppendHistoryAsync("h", Activity(i));
            await _store.AppendHistoryAsync("other", Activity(i));
        }

        await _store.TruncateHistoryAsync("h", 2);
        await _store.TruncateHistoryAsync("h", 10);
        await _store.TruncateHistoryAsync("nobody", 0);

        Assert.Equal([0, 1], (await _store.GetHistoryAsync("h")).Select(e => e.Sequence));
        Assert.Equal([0, 1, 2, 3], (await _store.GetHistoryAsync("other")).Select(e => e.Sequence));
        await _store.AppendHistoryAsync("h", Activity(2) with { ResultJson = "\"retried\"" });
        Assert.Equal("\"retried\"", (await _store.GetHistoryAsync("h"))[2].ResultJson);

        await _store.TruncateHistoryAsync("h", 0);
        Assert.Empty(await _store.GetHistoryAsync("h"));
    }

    // ------------------------------------------------------------------ lease

    [Fact]
    public async Task A_free_lease_is_taken_and_refused_to_another_owner_until_it_expires()
    {
        await _store.TryCreateAsync(Instance("l"));
        var expiry = Monday.AddMinutes(1);

        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", expiry, Monday));
        Assert.False(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(2), Monday.AddSeconds(59)));
        Assert.False(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(2), expiry.AddTicks(-1)));
        // Expired at exactly its expiry time.
        Assert.True(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(2), expiry));
        Assert.False(await _store.TryAcquireLeaseAsync("l", "a", Monday.AddMinutes(3), expiry.AddSeconds(1)));
        Assert.Equal(("b", "2026-03-02T06:02:00.1234567Z"), await LeaseAsync("l"));
    }

    [Fact]
    public async Task The_owner_renews_its_lease_which_then_holds_until_the_new_expiry()
    {
        await _store.TryCreateAsync(Instance("l"));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", Monday.AddMinutes(1), Monday));

        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", Monday.AddMinutes(3), Monday.AddSeconds(50)));

        Assert.False(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(4), Monday.AddMinutes(2)));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(4), Monday.AddMinutes(3)));
    }

    [Fact]
    public async Task An_owner_may_renew_even_an_expired_lease_nobody_took()
    {
        await _store.TryCreateAsync(Instance("l"));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", Monday.AddMinutes(1), Monday));

        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", Monday.AddMinutes(6), Monday.AddMinutes(5)));
        Assert.Equal(("a", "2026-03-02T06:06:00.1234567Z"), await LeaseAsync("l"));
    }

    [Fact]
    public async Task Release_frees_the_lease_only_for_its_owner()
    {
        await _store.TryCreateAsync(Instance("l"));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", Monday.AddMinutes(1), Monday));

        await _store.ReleaseLeaseAsync("l", "b");
        Assert.False(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(1), Monday));
        Assert.Equal(("a", "2026-03-02T06:01:00.1234567Z"), await LeaseAsync("l"));

        await _store.ReleaseLeaseAsync("l", "a");
        Assert.Equal(((string?)null, (string?)null), await LeaseAsync("l"));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "b", Monday.AddMinutes(1), Monday));
        await _store.ReleaseLeaseAsync("nobody", "b");
    }

    [Fact]
    public async Task Of_many_owners_racing_for_a_free_lease_exactly_one_gets_it()
    {
        await _store.TryCreateAsync(Instance("l"));
        var other = new SqliteRunStore(_databasePath);
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var store = i % 2 == 0 ? _store : other;
            return (Owner: $"owner-{i}", Acquired: await store.TryAcquireLeaseAsync("l", $"owner-{i}", Monday.AddMinutes(1), Monday));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Acquired);
        Assert.Equal(winner.Owner, (await LeaseAsync("l")).Owner);
    }

    [Fact]
    public async Task A_lease_on_an_unknown_instance_throws_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _store.TryAcquireLeaseAsync("ghost", "a", Monday.AddMinutes(1), Monday));

        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ purge

    [Fact]
    public async Task Purge_deletes_the_instance_and_its_history_and_nothing_else()
    {
        await _store.TryCreateAsync(Instance("gone"));
        await _store.TryCreateAsync(Instance("kept"));
        await _store.AppendHistoryAsync("gone", Activity(0));
        await _store.AppendHistoryAsync("gone", Activity(1));
        await _store.AppendHistoryAsync("kept", Activity(0));

        Assert.True(await _store.PurgeAsync("gone"));
        Assert.False(await _store.PurgeAsync("gone"));
        Assert.False(await _store.PurgeAsync("nobody"));

        Assert.Null(await _store.GetAsync("gone"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM history WHERE instance_id = 'gone'"));
        Assert.Equal([Activity(0)], await _store.GetHistoryAsync("kept"));
        Assert.Equal(["kept"], await ListIdsAsync(new RunQuery()));

        // The id is free again, with an empty history.
        Assert.True(await _store.TryCreateAsync(Instance("gone")));
        Assert.Empty(await _store.GetHistoryAsync("gone"));
    }

    // ------------------------------------------------------------------ helpers

    private static RunInstance Instance(string id, DateTime? created = null, string status = RuntimeStatuses.Pending, string? eventName = "lva") =>
        new(id, "PipelineOrchestration", status, """{"event":"lva"}""", null, null, created ?? Monday, created ?? Monday, eventName);

    private static HistoryEvent Activity(int sequence) =>
        new(sequence, "activity", "step" + sequence, $$"""{"sequence":{{sequence}}}""", null, null, Monday.AddSeconds(sequence));

    private async Task<IReadOnlyList<string>> ListIdsAsync(RunQuery query) =>
        (await _store.ListAsync(query)).Select(i => i.InstanceId).ToList();

    private async Task<(string? Owner, string? ExpiresAt)> LeaseAsync(string instanceId)
    {
        await using var connection = await OpenRawAsync(SqliteOpenMode.ReadOnly);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT lease_owner, lease_expires_at FROM instances WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", instanceId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>A query straight on the file, for what the port does not show (stored text, journal mode).</summary>
    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenRawAsync(SqliteOpenMode.ReadOnly);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenRawAsync(SqliteOpenMode.ReadWrite);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenRawAsync(SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = _databasePath, Mode = mode, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
