using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>What only the SQLite adapter promises or shows (files, column types, property order, disposal); the port's
/// behaviour is <see cref="AgendaGraphContract"/>.</summary>
public sealed class SqliteAgendaGraphTests(GraphFolderFixture folder) : IClassFixture<GraphFolderFixture>, IAsyncLifetime
{
    private readonly SqliteAgendaGraphFactory _factory = folder.NewFactory();
    private IAgendaGraph _graph = null!;

    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync() => _graph = await _factory.OpenAsync(VetLva);

    public async Task DisposeAsync() => await _graph.DisposeAsync();

    private string DevDatabase => _factory.DatabasePath("dev");

    // ------------------------------------------------------------------ schema and files

    [Fact]
    public async Task Schema_creation_twice_is_harmless_and_uses_WAL()
    {
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1")], GraphWriteMode.Full);

        await _graph.EnsureSchemaAsync();
        await _graph.EnsureSchemaAsync();
        await using (var second = await _factory.OpenAsync(VetLva))
            await second.EnsureSchemaAsync();

        Assert.Equal(["V1"], (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal("wal", await ScalarAsync(DevDatabase, "PRAGMA journal_mode"));
        Assert.Equal(1L, await ScalarAsync(DevDatabase, "SELECT count(*) FROM sqlite_master WHERE name = 'visitors_key'"));
        Assert.Equal((long)SqliteGraphSchema.PageSize, await ScalarAsync(DevDatabase, "PRAGMA page_size"));
    }

    [Fact]
    public async Task Environments_are_separate_files()
    {
        await using var test = await _factory.OpenAsync(VetLva with { Environment = "test" });
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("DEV-1")], GraphWriteMode.Full);
        await test.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("TEST-1"), Visitor("TEST-2")], GraphWriteMode.Full);

        Assert.Equal(["DEV-1"], (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal(["TEST-1", "TEST-2"], (await test.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal(Path.Combine(_factory.RootFolder, "dev.sqlite"), DevDatabase);
        Assert.True(File.Exists(DevDatabase));
        Assert.True(File.Exists(Path.Combine(_factory.RootFolder, "test.sqlite")));
        Assert.False(File.Exists(Path.Combine(_factory.RootFolder, "prod.sqlite")));
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("Dev")]
    [InlineData("")]
    [InlineData("../dev")]
    public async Task Unknown_environments_are_refused(string environment)
    {
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => _factory.OpenAsync(VetLva with { Environment = environment }));
        Assert.Equal("graph.environment", error.Field);
        Assert.Contains("dev, test, prod", error.Message);
    }

    [Fact]
    public async Task Equal_main_and_secondary_names_are_refused() =>
        await Assert.ThrowsAsync<PipelineInputException>(() => _factory.OpenAsync(VetLva with { SecondaryEventName = "lva" }));

    [Fact]
    public async Task Two_shows_of_one_environment_share_its_database_file()
    {
        await using var bva = await _factory.OpenAsync(VetBva);

        // What the shows see of each other is the contract's Two_shows_in_one_database_do_not_see_each_other.
        Assert.Equal(Path.GetFullPath(DevDatabase), ((SqliteAgendaGraph)bva).DatabasePath);
    }

    // ------------------------------------------------------------------ visitors

    [Fact]
    public async Task Properties_keep_their_order_and_full_mode_merges_like_set_plus_equals()
    {
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("z", "1"), ("a", "2"), ("m", "3")))],
            GraphWriteMode.Full);
        Assert.Equal(["z", "a", "m"], Assert.Single(await _graph.ReadVisitorsAsync(VisitorKind.PastMain)).Properties.Keys);

        // A subset with equal values changes nothing; a changed value and a new key update in place, keeping the other keys.
        var subset = await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("a", "2")))], GraphWriteMode.Full);
        var changed = await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("new", "x"), ("a", "20")))],
            GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(0, 0, 1), subset);
        Assert.Equal(new GraphWriteStats(0, 1, 0), changed);
        var properties = Assert.Single(await _graph.ReadVisitorsAsync(VisitorKind.PastMain)).Properties;
        Assert.Equal([("z", "1"), ("a", "20"), ("m", "3"), ("new", "x")], properties.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public async Task A_read_of_some_columns_keeps_only_those_in_stored_order_for_every_visitor()
    {
        // Rows with other keys, in another order, and one without a wanted column: the decoder's key cache goes by position.
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [
            new VisitorNode("V2", Properties(("z", "1"), ("email", "a@b"), ("a", "2"))),
            new VisitorNode("V1", Properties(("a", "3"), ("phone", "555"), ("z", "4"), ("m", "5"))),
            new VisitorNode("V3", Properties(("email", "c@d"), ("m", "6"))),
        ], GraphWriteMode.Full);

        var read = await _graph.ReadVisitorColumnsAsync(VisitorKind.ThisYear, new HashSet<string> { "a", "z", "missing" });

        Assert.Equal(["V1", "V2", "V3"], read.Select(v => v.BadgeId));
        Assert.Equal([("a", "3"), ("z", "4")], read[0].Properties.Select(p => (p.Key, p.Value)));
        Assert.Equal([("z", "1"), ("a", "2")], read[1].Properties.Select(p => (p.Key, p.Value)));
        Assert.Empty(read[2].Properties);
        var all = await _graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal(["a", "phone", "z", "m"], all[0].Properties.Keys);
    }

    [Fact]
    public async Task Unicode_and_json_special_characters_round_trip()
    {
        var tricky = Properties(("Company", "Größ & \"Söhne\" <Ltd>"), ("Notes", "line1\nline2\t\\"), ("名前", "日本語 ✓"), ("empty", ""));
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [new VisitorNode("U1", tricky)], GraphWriteMode.Full);

        var read = Assert.Single(await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Properties;

        Assert.Equal(tricky.ToArray(), read.ToArray());
        Assert.Equal(new GraphWriteStats(0, 0, 1),
            await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [new VisitorNode("U1", tricky)], GraphWriteMode.Full));
    }

    [Fact]
    public async Task Blank_keys_are_refused_before_anything_is_written()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("A"), Visitor(" ")], GraphWriteMode.Full));

        Assert.Contains("visitors[1]", error.Message);
        Assert.Empty(await _graph.ReadVisitorsAsync(VisitorKind.ThisYear));
        await Assert.ThrowsAsync<ArgumentException>(() => _graph.UpsertStreamsAsync([new("", "none")], GraphWriteMode.Full));
    }

    // ------------------------------------------------------------------ sessions and streams

    [Fact]
    public async Task Full_mode_replaces_this_years_sessions_with_their_embeddings_and_recommendations_but_keeps_past_sessions()
    {
        await _graph.UpsertStreamsAsync([new("Surgery", "Operating"), new("Cardiology", "Hearts")], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["Surgery"]), Session("S2", ["Cardiology"])], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", ["Surgery"])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await _graph.StoreEmbeddingsAsync([new(SessionYear.ThisYear, "S1", "h1", "m", [1f, 2f]), new(SessionYear.Past, "P1", "hp", "m", [3f, 4f])]);
        await _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S1", 0.9), new("V1", "S2", 0.8)], ["V2"], Monday);

        var replaced = await _graph.UpsertSessionsAsync(SessionYear.ThisYear,
            [Session("S2", ["Cardiology"], ("title", "New")), Session("S3", ["Surgery", "Cardiology"])], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(2, 0, 0, 2), replaced);
        Assert.Equal(["S2", "S3"], (await _graph.ReadSessionsAsync(SessionYear.ThisYear)).Select(s => s.SessionId));
        Assert.Empty(await _graph.ReadEmbeddingsAsync(SessionYear.ThisYear));
        Assert.Empty(await _graph.ReadRecommendationsAsync());
        Assert.Equal(["P1"], (await _graph.ReadEmbeddingsAsync(SessionYear.Past)).Select(e => e.SessionId));
        Assert.Equal(["P1"], (await _graph.ReadSessionsAsync(SessionYear.Past)).Select(s => s.SessionId));
        // The flags described recommendations that are gone: an incremental step 4 must see these visitors as without any.
        Assert.All(await _graph.ReadVisitorsAsync(VisitorKind.ThisYear), v => Assert.False(v.HasRecommendation || v.ControlGroup));
        Assert.Equal(2, (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear, onlyWithoutRecommendation: true)).Count);
        var counts = await _graph.CountAsync();
        Assert.Equal(4, counts.Relationships["HAS_STREAM"]); // S2, S3 x2, P1
        Assert.Equal(0, counts.Relationships["IS_RECOMMENDED"]);
        Assert.Equal(0L,
            await ScalarAsync(DevDatabase, "SELECT count(*) FROM has_stream h LEFT JOIN sessions s ON s.id = h.session WHERE s.id IS NULL"));
    }

    // ------------------------------------------------------------------ relationships

    // ------------------------------------------------------------------ embeddings

    [Fact]
    public async Task Embeddings_round_trip_bit_exactly_as_float32_blobs()
    {
        var random = new Random(7);
        var vector = Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] special = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.NaN, float.PositiveInfinity,
            float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC0_1234), 1e-40f];
        special.CopyTo(vector, 0);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", [])], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);

        var stored = await _graph.StoreEmbeddingsAsync(
            [new(SessionYear.Past, "P1", "hash-p1", "all-MiniLM-L6-v2", vector), new(SessionYear.ThisYear, "S1", "hash-s1", "m", [0.5f])]);

        Assert.Equal(new GraphWriteStats(2, 0, 0), stored);
        var read = Assert.Single(await _graph.ReadEmbeddingsAsync(SessionYear.Past));
        Assert.Equal((SessionYear.Past, "P1", "hash-p1", "all-MiniLM-L6-v2"), (read.Year, read.SessionId, read.TextHash, read.Model));
        Assert.Equal(vector.Select(BitConverter.SingleToInt32Bits), read.Vector.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal("blob", await ScalarAsync(DevDatabase,
            "SELECT typeof(e.vector) FROM session_embeddings e JOIN sessions s ON s.id = e.session WHERE s.session_id = 'P1'"));
        Assert.Equal(4L * 384, await ScalarAsync(DevDatabase,
            "SELECT length(e.vector) FROM session_embeddings e JOIN sessions s ON s.id = e.session WHERE s.session_id = 'P1'"));
        Assert.Equal([new EmbeddingStamp(SessionYear.ThisYear, "S1", "hash-s1", "m"),
                new EmbeddingStamp(SessionYear.Past, "P1", "hash-p1", "all-MiniLM-L6-v2")],
            await _graph.ReadEmbeddingStampsAsync());
    }

    [Fact]
    public async Task Storing_an_embedding_again_skips_identical_and_updates_changed_ones()
    {
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", []), Session("P2", []), Session("P3", [])], GraphWriteMode.Full);
        await _graph.StoreEmbeddingsAsync(
            [new(SessionYear.Past, "P1", "h", "m", [1f, 2f]), new(SessionYear.Past, "P2", "h", "m", [1f, 2f]),
                new(SessionYear.Past, "P3", "h", "m", [1f])]);

        var again = await _graph.StoreEmbeddingsAsync(
            [new(SessionYear.Past, "P1", "h", "m", [1f, 2f]), new(SessionYear.Past, "P2", "h2", "m", [1f, 2f]),
                new(SessionYear.Past, "P3", "h", "m", [1f, 3f])]);

        Assert.Equal(new GraphWriteStats(0, 2, 1), again);
        var embeddings = await _graph.ReadEmbeddingsAsync(SessionYear.Past);
        Assert.Equal(new[] { 1f, 3f }, embeddings[2].Vector);
        Assert.Equal(8L, await ScalarAsync(DevDatabase,
            "SELECT dimensions * 4 FROM session_embeddings e JOIN sessions s ON s.id = e.session WHERE s.session_id = 'P3'"));
    }

    // ------------------------------------------------------------------ recommendations

    [Fact]
    public async Task Recommendations_replace_per_visitor_and_set_the_flags()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", []), Session("S2", []), Session("S3", [])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2"), Visitor("V3"), Visitor("V4")], GraphWriteMode.Full);

        var first = await _graph.StoreRecommendationsAsync(["V1", "V2", "V3"],
            [new("V1", "S1", 0.9), new("V1", "S2", 0.7), new("V2", "S3", 0.6)], ["V2"], Monday);
        // V1 is re-recommended; V2 gets nothing this time and leaves the control group; V3 joins it. Only given visitors change.
        var second = await _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S3", 0.8), new("V1", "S3", 0.85)], [], Monday.AddDays(7));

        Assert.Equal(new GraphWriteStats(3, 0, 0, 0), first);
        Assert.Equal(new GraphWriteStats(1, 1, 0, 3), second); // the duplicate overwrites; V1's two and V2's one were replaced
        Assert.Equal([new RecommendationLink("V1", "S3", 0.85)], await _graph.ReadRecommendationsAsync());
        var visitors = (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).ToDictionary(v => v.BadgeId);
        Assert.Equal((true, false), (visitors["V1"].HasRecommendation, visitors["V1"].ControlGroup));
        Assert.Equal((false, false), (visitors["V2"].HasRecommendation, visitors["V2"].ControlGroup));
        Assert.Equal((false, false), (visitors["V3"].HasRecommendation, visitors["V3"].ControlGroup)); // given the first time with no links
        Assert.Equal(["V2", "V3", "V4"],
            (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear, onlyWithoutRecommendation: true)).Select(v => v.BadgeId));
        Assert.Equal(Monday.AddDays(7).ToString("O"), await ScalarAsync(DevDatabase,
            "SELECT DISTINCT w.generated_at FROM is_recommended r JOIN recommendation_writes w ON w.id = r.write_id"));
    }

    // ------------------------------------------------------------------ counts and instances

    [Fact]
    public async Task A_disposed_graph_refuses_calls()
    {
        var graph = await _factory.OpenAsync(VetLva);
        await graph.DisposeAsync();
        await graph.DisposeAsync(); // twice is harmless

        await Assert.ThrowsAsync<ObjectDisposedException>(() => graph.CountAsync());
    }
}
