using Microsoft.Data.Sqlite;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>The reads that scan a label's row-id range and sort in memory give what ORDER BY on the key gave.</summary>
public sealed class SqliteGraphReaderTests(GraphFolderFixture folder) : IClassFixture<GraphFolderFixture>
{
    private readonly SqliteAgendaGraphFactory _factory = folder.NewFactory();

    [Fact]
    public async Task Labels_written_in_turns_read_back_whole_and_in_key_order()
    {
        await using var graph = await _factory.OpenAsync(VetLva);
        await graph.UpsertSessionsAsync(SessionYear.Past, [Session("P-S2", []), Session("P-S1", [])], GraphWriteMode.Full);
        // This year's rows straddle the past show's: its row-id range holds rows of another label.
        await graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V3"), Visitor("V1")], GraphWriteMode.Full);
        await graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("L2"), Visitor("L1")], GraphWriteMode.Full);
        await graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V2"), Visitor("V0")], GraphWriteMode.Full);
        await graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("B1")], GraphWriteMode.Full);
        await graph.LinkSameVisitorsAsync([new("V2", VisitorKind.PastSecondary, "B1", "bva"), new("V2", VisitorKind.PastMain, "L2", "lva"),
            new("V0", VisitorKind.PastMain, "L1", "lva"), new("V2", VisitorKind.PastMain, "L1", "lva")], GraphWriteMode.Full);
        await graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("L2", "P-S2", "d", "f", "s"), new("L1", "P-S2", "d", "f", "s"),
            new("L2", "P-S1", "d", "f", "s")], GraphWriteMode.Full);

        Assert.Equal(["V0", "V1", "V2", "V3"], (await graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal(["L1", "L2"], (await graph.ReadVisitorsAsync(VisitorKind.PastMain)).Select(v => v.BadgeId));
        Assert.Equal([("V0", "L1"), ("V2", "L1"), ("V2", "L2"), ("V2", "B1")],
            (await graph.ReadSameVisitorsAsync()).Select(l => (l.BadgeId, l.PastBadgeId)));
        Assert.Equal([("L1", "P-S2"), ("L2", "P-S1"), ("L2", "P-S2")],
            (await graph.ReadAttendedSessionsAsync(VisitorKind.PastMain)).Select(l => (l.BadgeId, l.SessionId)));
        Assert.Empty(await graph.ReadAttendedSessionsAsync(VisitorKind.PastSecondary));
    }

    [Fact]
    public async Task The_in_memory_order_is_sqlite_binary_collation()
    {
        // ASCII, accents, and characters either side of the surrogates, where UTF-16 order and code-point order differ.
        string[] keys = ["b", "a", "B", "ab", "a\u00e9", "\uffef", "\ud83d\ude00", "\ue000x", "\ud800\udc00", "", "a\uffff", "a\ud83d\ude00"];
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE k (key TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }
        foreach (var key in keys)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO k VALUES ($key)";
            insert.Parameters.AddWithValue("$key", key);
            await insert.ExecuteNonQueryAsync();
        }
        var sqliteOrder = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT key FROM k ORDER BY key";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync()) sqliteOrder.Add(reader.GetString(0));
        }

        Assert.Equal(sqliteOrder, keys.Order(SqliteTextOrder.Instance));
        Assert.NotEqual(sqliteOrder, keys.Order(StringComparer.Ordinal)); // the case the comparer exists for
    }
}
