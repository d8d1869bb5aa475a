using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

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
    public async Task Two_shows_in_one_database_do_not_see_each_other()
    {
        await using var bva = await _factory.OpenAsync(VetBva);
        await _graph.UpsertStreamsAsync([new("Surgery", "Operating")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("SHARED", ("Country", "UK")), Visitor("L1")], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["Surgery"])], GraphWriteMode.Full);

        // The same keys in the other show are other nodes; bva's full replacement of this year's sessions leaves lva's alone.
        var bvaVisitors = await bva.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("SHARED", ("Country", "IE"))], GraphWriteMode.Full);
        var bvaSessions = await bva.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S9", ["Dentistry"])], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(1, 0, 0), bvaVisitors);
        Assert.Equal(new GraphWriteStats(1, 0, 0, 0), bvaSessions);
        Assert.Equal("UK", (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Single(v => v.BadgeId == "SHARED").Properties["Country"]);
        Assert.Equal("IE", Assert.Single(await bva.ReadVisitorsAsync(VisitorKind.ThisYear)).Properties["Country"]);
        Assert.Equal(["S1"], (await _graph.ReadSessionsAsync(SessionYear.ThisYear)).Select(s => s.SessionId));
        Assert.Equal(["Surgery"], (await _graph.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal(["Dentistry"], (await bva.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal(2, (await _graph.CountAsync()).Nodes["Visitor_this_year"]);
        Assert.Equal(1, (await bva.CountAsync()).Relationships["HAS_STREAM"]);
        Assert.Equal(Path.GetFullPath(DevDatabase), ((SqliteAgendaGraph)bva).DatabasePath);
    }

    // ------------------------------------------------------------------ visitors

    [Fact]
    public async Task Full_mode_creates_updates_changed_and_skips_identical_visitors()
    {
        var first = await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
            [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Nurse")), Visitor("C", ("job_role", "Student"))], GraphWriteMode.Full);
        var second = await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
            [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Vet")), Visitor("C", ("job_role", "Student")), Visitor("D", ("job_role", "Vet"))],
            GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(3, 0, 0), first);
        Assert.Equal(new GraphWriteStats(1, 1, 2), second);
        var visitors = await _graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal(["A", "B", "C", "D"], visitors.Select(v => v.BadgeId));
        Assert.Equal("Vet", visitors[1].Properties["job_role"]);
    }

    [Fact]
    public async Task Incremental_mode_creates_new_visitors_and_never_modifies_existing_ones()
    {
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Nurse"))], GraphWriteMode.Full);

        var stats = await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
            [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Vet")), Visitor("C", ("job_role", "Vet"))], GraphWriteMode.Incremental);

        Assert.Equal(new GraphWriteStats(1, 0, 2), stats);
        Assert.Equal("Nurse", (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear))[1].Properties["job_role"]);
    }

    [Fact]
    public async Task Properties_keep_their_order_and_full_mode_merges_like_set_plus_equals()
    {
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("z", "1"), ("a", "2"), ("m", "3")))], GraphWriteMode.Full);
        Assert.Equal(["z", "a", "m"], Assert.Single(await _graph.ReadVisitorsAsync(VisitorKind.PastMain)).Properties.Keys);

        // A subset with equal values changes nothing; a changed value and a new key update in place, keeping the other keys.
        var subset = await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("a", "2")))], GraphWriteMode.Full);
        var changed = await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("new", "x"), ("a", "20")))], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(0, 0, 1), subset);
        Assert.Equal(new GraphWriteStats(0, 1, 0), changed);
        var properties = Assert.Single(await _graph.ReadVisitorsAsync(VisitorKind.PastMain)).Properties;
        Assert.Equal([("z", "1"), ("a", "20"), ("m", "3"), ("new", "x")], properties.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public async Task Unicode_and_json_special_characters_round_trip()
    {
        var tricky = Properties(("Company", "Größ & \"Söhne\" <Ltd>"), ("Notes", "line1\nline2\t\\"), ("名前", "日本語 ✓"), ("empty", ""));
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [new VisitorNode("U1", tricky)], GraphWriteMode.Full);

        var read = Assert.Single(await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Properties;

        Assert.Equal(tricky.ToArray(), read.ToArray());
        Assert.Equal(new GraphWriteStats(0, 0, 1), await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [new VisitorNode("U1", tricky)], GraphWriteMode.Full));
    }

    [Fact]
    public async Task Visitor_kinds_are_separate_labels()
    {
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("X")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("X"), Visitor("Y")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("Z")], GraphWriteMode.Full);

        var counts = await _graph.CountAsync();

        Assert.Equal(1, counts.Nodes["Visitor_this_year"]);
        Assert.Equal(2, counts.Nodes["Visitor_last_year_lva"]);
        Assert.Equal(1, counts.Nodes["Visitor_last_year_bva"]);
        Assert.Equal(["Z"], (await _graph.ReadVisitorsAsync(VisitorKind.PastSecondary)).Select(v => v.BadgeId));
    }

    [Fact]
    public async Task Blank_keys_are_refused_before_anything_is_written()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("A"), Visitor(" ")], GraphWriteMode.Full));

        Assert.Contains("visitors[1]", error.Message);
        Assert.Empty(await _graph.ReadVisitorsAsync(VisitorKind.ThisYear));
        await Assert.ThrowsAsync<ArgumentException>(() => _graph.UpsertStreamsAsync([new("", "none")], GraphWriteMode.Full));
    }

    [Fact]
    public async Task Reads_are_ordered_by_key()
    {
        string[] ids = ["b10", "B2", "a", "b1", "_x", "A"];
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, ids.Select(id => Visitor(id)).ToList(), GraphWriteMode.Full);
        await _graph.UpsertStreamsAsync([new("wellbeing", ""), new("Anaesthesia", ""), new("cardiology", "")], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, ids.Select(id => Session(id, ["Cardiology", "Anaesthesia"])).ToList(), GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("P2"), Visitor("P1")], GraphWriteMode.Full);
        await _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain,
            [new("P2", "b1", "d", "f", "n"), new("P1", "b10", "d", "f", "n"), new("P1", "A", "d", "f", "n")], GraphWriteMode.Full);
        await _graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream,
            [new("b1", "wellbeing"), new("a", "Wellbeing"), new("a", "anaesthesia")], GraphWriteMode.Full);

        var ordinal = ids.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ordinal, (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal(ordinal, (await _graph.ReadSessionsAsync(SessionYear.Past)).Select(s => s.SessionId));
        Assert.Equal(["Anaesthesia", "cardiology", "wellbeing"], (await _graph.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal([("P1", "A"), ("P1", "b10"), ("P2", "b1")], (await _graph.ReadAttendedSessionsAsync(VisitorKind.PastMain)).Select(a => (a.BadgeId, a.SessionId)));
        Assert.Equal([("a", "Anaesthesia"), ("a", "wellbeing"), ("b1", "wellbeing")],
            (await _graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream)).Select(l => (l.BadgeId, l.Stream)));
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
        Assert.Equal(0L, await ScalarAsync(DevDatabase, "SELECT count(*) FROM has_stream h LEFT JOIN sessions s ON s.id = h.session WHERE s.id IS NULL"));
    }

    [Fact]
    public async Task Incremental_mode_keeps_this_years_sessions_with_their_embeddings_and_adds_new_ones()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["Surgery"], ("title", "Old"))], GraphWriteMode.Full);
        await _graph.StoreEmbeddingsAsync([new(SessionYear.ThisYear, "S1", "h1", "m", [1f])]);

        var stats = await _graph.UpsertSessionsAsync(SessionYear.ThisYear,
            [Session("S1", ["Dentistry"], ("title", "New")), Session("S2", ["Dentistry"])], GraphWriteMode.Incremental);

        Assert.Equal(new GraphWriteStats(1, 0, 1, 0), stats);
        var sessions = await _graph.ReadSessionsAsync(SessionYear.ThisYear);
        Assert.Equal("Old", sessions[0].Properties["title"]);
        Assert.Equal(["Surgery"], sessions[0].Streams);
        Assert.Single(await _graph.ReadEmbeddingsAsync(SessionYear.ThisYear));
        Assert.Equal(2, (await _graph.CountAsync()).Relationships["HAS_STREAM"]);
    }

    [Fact]
    public async Task Past_sessions_in_full_mode_are_upserted_and_a_stream_change_relinks()
    {
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", ["Surgery", "Cardiology"]), Session("P2", ["Surgery"])], GraphWriteMode.Full);
        await _graph.StoreEmbeddingsAsync([new(SessionYear.Past, "P1", "h1", "m", [1f])]);

        var stats = await _graph.UpsertSessionsAsync(SessionYear.Past,
            [Session("P1", ["Cardiology"]), Session("P2", ["Surgery"]), Session("P3", [])], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(1, 1, 1, 0), stats);
        Assert.Equal(["Cardiology"], (await _graph.ReadSessionsAsync(SessionYear.Past))[0].Streams);
        Assert.Equal(2, (await _graph.CountAsync()).Relationships["HAS_STREAM"]); // P1-Cardiology, P2-Surgery
        Assert.Single(await _graph.ReadEmbeddingsAsync(SessionYear.Past)); // kept: step 3 decides staleness by text hash
    }

    [Fact]
    public async Task Streams_link_case_insensitively_and_missing_streams_are_created_described_by_their_name()
    {
        await _graph.UpsertStreamsAsync([new("Small Animal", "Dogs and cats")], GraphWriteMode.Full);

        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["small animal", " SURGERY ", "", "Surgery"])], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", ["SMALL ANIMAL"])], GraphWriteMode.Full);

        var streams = await _graph.ReadStreamsAsync();
        Assert.Equal([new StreamNode("Small Animal", "Dogs and cats"), new StreamNode("SURGERY", "SURGERY")], streams);
        Assert.Equal(["small animal", "SURGERY", "Surgery"], Assert.Single(await _graph.ReadSessionsAsync(SessionYear.ThisYear)).Streams);
        var counts = await _graph.CountAsync();
        Assert.Equal(2, counts.Nodes["Stream"]);
        Assert.Equal(3, counts.Relationships["HAS_STREAM"]); // S1: small animal, surgery; P1: small animal
    }

    [Fact]
    public async Task Stream_upserts_match_case_insensitively()
    {
        var first = await _graph.UpsertStreamsAsync([new("Surgery", "Operating"), new("Dentistry", "Teeth")], GraphWriteMode.Full);
        var full = await _graph.UpsertStreamsAsync([new("surgery", "Operating"), new("DENTISTRY", "Teeth and gums"), new("Wellbeing", "Mind")], GraphWriteMode.Full);
        var incremental = await _graph.UpsertStreamsAsync([new("Surgery", "Changed"), new("Exotics", "Reptiles")], GraphWriteMode.Incremental);
        var unchanged = await _graph.UpsertStreamsAsync([new("DENTISTRY", "Teeth and gums")], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(2, 0, 0), first);
        Assert.Equal(new GraphWriteStats(1, 2, 0), full);
        Assert.Equal(new GraphWriteStats(1, 0, 1), incremental);
        Assert.Equal(new GraphWriteStats(0, 0, 1), unchanged);
        Assert.Equal([new StreamNode("DENTISTRY", "Teeth and gums"), new StreamNode("Exotics", "Reptiles"), new StreamNode("surgery", "Operating"), new StreamNode("Wellbeing", "Mind")],
            await _graph.ReadStreamsAsync());
    }

    // ------------------------------------------------------------------ relationships

    [Fact]
    public async Task Links_to_missing_endpoints_are_skipped()
    {
        await _graph.UpsertStreamsAsync([new("Surgery", "")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("P1")], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("PS1", [])], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);

        var streams = await _graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.SpecialisationToStream,
            [new("V1", "surgery"), new("V1", "Nope"), new("NOPE", "Surgery"), new("V1", "SURGERY")], GraphWriteMode.Full);
        var same = await _graph.LinkSameVisitorsAsync(
            [new("V1", VisitorKind.PastMain, "P1", "Same_Visitor_lva"), new("V1", VisitorKind.PastSecondary, "P1", "x"), new("NOPE", VisitorKind.PastMain, "P1", "x")],
            GraphWriteMode.Full);
        var attended = await _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain,
            [new("P1", "PS1", "2025-03-01", "scans.csv", "Seminar"), new("P1", "NOPE", "", "", ""), new("P1", "S1", "", "", "")], GraphWriteMode.Full);
        var embeddings = await _graph.StoreEmbeddingsAsync([new(SessionYear.ThisYear, "S1", "h", "m", [1f]), new(SessionYear.ThisYear, "PS1", "h", "m", [1f])]);
        var recommendations = await _graph.StoreRecommendationsAsync(["V1", "NOPE"], [new("V1", "S1", 0.5), new("V1", "PS1", 0.5), new("NOPE", "S1", 0.5)], [], Monday);

        Assert.Equal(new GraphWriteStats(1, 0, 3), streams); // the last one already exists
        Assert.Equal(new GraphWriteStats(1, 0, 2), same);
        Assert.Equal(new GraphWriteStats(1, 0, 2), attended); // S1 is this year's, not a past session
        Assert.Equal(new GraphWriteStats(1, 0, 1), embeddings);
        Assert.Equal(new GraphWriteStats(1, 0, 2, 0), recommendations);
        Assert.Equal([new VisitorStreamLink("V1", "Surgery")],
            await _graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.SpecialisationToStream));
        Assert.Empty(await _graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream));
    }

    [Fact]
    public async Task Relationship_properties_update_in_full_mode_only()
    {
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("M1")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("B1")], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("PS1", []), Session("PS2", [])], GraphWriteMode.Full);
        await _graph.LinkSameVisitorsAsync([new("V1", VisitorKind.PastSecondary, "B1", "old"), new("V1", VisitorKind.PastMain, "M1", "main")], GraphWriteMode.Full);
        await _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("M1", "PS1", "d1", "f", "n")], GraphWriteMode.Full);

        var sameIncremental = await _graph.LinkSameVisitorsAsync([new("V1", VisitorKind.PastSecondary, "B1", "new"), new("V2", VisitorKind.PastSecondary, "B1", "v2")],
            GraphWriteMode.Incremental);
        var sameFull = await _graph.LinkSameVisitorsAsync([new("V1", VisitorKind.PastSecondary, "B1", "new"), new("V1", VisitorKind.PastMain, "M1", "main")], GraphWriteMode.Full);
        var attendedIncremental = await _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("M1", "PS1", "d2", "f", "n")], GraphWriteMode.Incremental);
        var attendedFull = await _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("M1", "PS1", "d2", "f", "n"), new("M1", "PS2", "d3", "f", "n")], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(1, 0, 1), sameIncremental);
        Assert.Equal(new GraphWriteStats(0, 1, 1), sameFull);
        Assert.Equal(new GraphWriteStats(0, 0, 1), attendedIncremental);
        Assert.Equal(new GraphWriteStats(1, 1, 0), attendedFull);
        Assert.Equal(
            [new SameVisitorLink("V1", VisitorKind.PastMain, "M1", "main"), new SameVisitorLink("V1", VisitorKind.PastSecondary, "B1", "new"),
             new SameVisitorLink("V2", VisitorKind.PastSecondary, "B1", "v2")],
            await _graph.ReadSameVisitorsAsync());
        Assert.Equal([new AttendanceLink("M1", "PS1", "d2", "f", "n"), new AttendanceLink("M1", "PS2", "d3", "f", "n")],
            await _graph.ReadAttendedSessionsAsync(VisitorKind.PastMain));
        Assert.Empty(await _graph.ReadAttendedSessionsAsync(VisitorKind.PastSecondary));
        await Assert.ThrowsAsync<ArgumentException>(() => _graph.LinkSameVisitorsAsync([new("V1", VisitorKind.ThisYear, "V2", "x")], GraphWriteMode.Full));
    }

    // ------------------------------------------------------------------ embeddings

    [Fact]
    public async Task Embeddings_round_trip_bit_exactly_as_float32_blobs()
    {
        var random = new Random(7);
        var vector = Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] special = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.NaN, float.PositiveInfinity, float.NegativeInfinity,
            BitConverter.Int32BitsToSingle(0x7FC0_1234), 1e-40f];
        special.CopyTo(vector, 0);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", [])], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);

        var stored = await _graph.StoreEmbeddingsAsync([new(SessionYear.Past, "P1", "hash-p1", "all-MiniLM-L6-v2", vector), new(SessionYear.ThisYear, "S1", "hash-s1", "m", [0.5f])]);

        Assert.Equal(new GraphWriteStats(2, 0, 0), stored);
        var read = Assert.Single(await _graph.ReadEmbeddingsAsync(SessionYear.Past));
        Assert.Equal((SessionYear.Past, "P1", "hash-p1", "all-MiniLM-L6-v2"), (read.Year, read.SessionId, read.TextHash, read.Model));
        Assert.Equal(vector.Select(BitConverter.SingleToInt32Bits), read.Vector.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal("blob", await ScalarAsync(DevDatabase, "SELECT typeof(e.vector) FROM session_embeddings e JOIN sessions s ON s.id = e.session WHERE s.session_id = 'P1'"));
        Assert.Equal(4L * 384, await ScalarAsync(DevDatabase, "SELECT length(e.vector) FROM session_embeddings e JOIN sessions s ON s.id = e.session WHERE s.session_id = 'P1'"));
        Assert.Equal([new EmbeddingStamp(SessionYear.ThisYear, "S1", "hash-s1", "m"), new EmbeddingStamp(SessionYear.Past, "P1", "hash-p1", "all-MiniLM-L6-v2")],
            await _graph.ReadEmbeddingStampsAsync());
    }

    [Fact]
    public async Task Storing_an_embedding_again_skips_identical_and_updates_changed_ones()
    {
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", []), Session("P2", []), Session("P3", [])], GraphWriteMode.Full);
        await _graph.StoreEmbeddingsAsync([new(SessionYear.Past, "P1", "h", "m", [1f, 2f]), new(SessionYear.Past, "P2", "h", "m", [1f, 2f]), new(SessionYear.Past, "P3", "h", "m", [1f])]);

        var again = await _graph.StoreEmbeddingsAsync(
            [new(SessionYear.Past, "P1", "h", "m", [1f, 2f]), new(SessionYear.Past, "P2", "h2", "m", [1f, 2f]), new(SessionYear.Past, "P3", "h", "m", [1f, 3f])]);

        Assert.Equal(new GraphWriteStats(0, 2, 1), again);
        var embeddings = await _graph.ReadEmbeddingsAsync(SessionYear.Past);
        Assert.Equal(new[] { 1f, 3f }, embeddings[2].Vector);
        Assert.Equal(8L, await ScalarAsync(DevDatabase, "SELECT dimensions * 4 FROM session_embeddings e JOIN sessions s ON s.id = e.session WHERE s.session_id = 'P3'"));
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
        Assert.Equal(["V2", "V3", "V4"], (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear, onlyWithoutRecommendation: true)).Select(v => v.BadgeId));
        Assert.Equal(Monday.AddDays(7).ToString("O"), await ScalarAsync(DevDatabase, "SELECT DISTINCT generated_at FROM is_recommended"));
    }

    [Fact]
    public async Task Control_group_members_keep_their_links_and_are_flagged()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);

        await _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S1", 0.9), new("V2", "S1", 0.4)], ["V2"], Monday);

        var visitors = await _graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal([(true, false), (true, true)], visitors.Select(v => (v.HasRecommendation, v.ControlGroup)));
        Assert.Empty(await _graph.ReadVisitorsAsync(VisitorKind.ThisYear, onlyWithoutRecommendation: true));
        Assert.Equal(2, (await _graph.CountAsync()).Relationships["IS_RECOMMENDED"]);
    }

    [Fact]
    public async Task Recommendations_outside_the_replaced_visitors_are_refused_before_writing()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await _graph.StoreRecommendationsAsync(["V1"], [new("V1", "S1", 0.9)], [], Monday);

        await Assert.ThrowsAsync<ArgumentException>(() => _graph.StoreRecommendationsAsync(["V1"], [new("V2", "S1", 0.5)], [], Monday));
        await Assert.ThrowsAsync<ArgumentException>(() => _graph.StoreRecommendationsAsync(["V1"], [], ["V2"], Monday));
        await Assert.ThrowsAsync<ArgumentException>(() => _graph.StoreRecommendationsAsync(["V1"], [new("V1", "S1", double.NaN)], [], Monday));

        Assert.Equal([new RecommendationLink("V1", "S1", 0.9)], await _graph.ReadRecommendationsAsync());
    }

    // ------------------------------------------------------------------ counts and instances

    [Fact]
    public async Task Counts_list_every_label_and_type_of_the_identity()
    {
        var empty = await _graph.CountAsync();

        Assert.Equal(["Sessions_past_year", "Sessions_this_year", "Stream", "Visitor_last_year_bva", "Visitor_last_year_lva", "Visitor_this_year"], empty.Nodes.Keys);
        Assert.Equal(["HAS_STREAM", "IS_RECOMMENDED", "Same_Visitor", "attended_session", "job_to_stream", "specialization_to_stream"], empty.Relationships.Keys);
        Assert.All(empty.Nodes.Values.Concat(empty.Relationships.Values), count => Assert.Equal(0, count));

        await _graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("B1")], GraphWriteMode.Full);
        await _graph.UpsertStreamsAsync([new("Surgery", "")], GraphWriteMode.Full);
        await _graph.LinkVisitorStreamsAsync(VisitorKind.PastSecondary, VisitorStreamRelation.JobToStream, [new("B1", "Surgery")], GraphWriteMode.Full);
        await _graph.LinkVisitorStreamsAsync(VisitorKind.PastSecondary, VisitorStreamRelation.SpecialisationToStream, [new("B1", "Surgery")], GraphWriteMode.Full);

        var counts = await _graph.CountAsync();
        Assert.Equal(1, counts.Nodes["Visitor_last_year_bva"]);
        Assert.Equal(1, counts.Relationships["job_to_stream"]);
        Assert.Equal(1, counts.Relationships["specialization_to_stream"]);
    }

    [Fact]
    public async Task A_disposed_graph_refuses_calls()
    {
        var graph = await _factory.OpenAsync(VetLva);
        await graph.DisposeAsync();
        await graph.DisposeAsync(); // twice is harmless

        await Assert.ThrowsAsync<ObjectDisposedException>(() => graph.CountAsync());
    }
}
