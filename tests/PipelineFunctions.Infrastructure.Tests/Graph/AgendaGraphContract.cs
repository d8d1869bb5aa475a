using PipelineFunctions.Core.Graph;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>
/// The behaviour every <see cref="IAgendaGraph"/> adapter must show, through the port only. Each concrete subclass runs
/// all of these against a real graph: <see cref="SqliteAgendaGraphContractTests"/> on a new SQLite folder per test.
/// <para>
/// Each test opens its graphs under show names of its own (<see cref="Lva"/>, <see cref="Bva"/>), so an adapter on a
/// shared server needs no clean-up between tests: every node carries its show. To run the suite against Neo4j, add a
/// test project that references <c>PipelineFunctions.Neo4j</c> (and so needs the Neo4j.Driver package, which is why it is
/// not in the solution) and this project, with
/// <c>public sealed class Neo4jAgendaGraphContractTests() : AgendaGraphContract(factory)</c>, <c>factory</c> a
/// <c>Neo4jAgendaGraphFactory</c> over a Neo4j 5 server with a dev and a test environment; skip it where no server is
/// configured.
/// </para>
/// <para>
/// What the port does not show (files, column types, foreign keys, generated_at) and what only the SQLite adapter
/// promises (property order, non-identifier property names, blank-key messages, disposal) is tested in the Sqlite*Tests
/// classes.
/// </para>
/// </summary>
public abstract class AgendaGraphContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Monday = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    private readonly string _case = Guid.NewGuid().ToString("N")[..10];

    /// <param name="factory">Opens graphs in an empty store, or one where this test's show names were never used.</param>
    protected AgendaGraphContract(IAgendaGraphFactory factory)
    {
        Factory = factory;
        Lva = new($"vet_lva_{_case}", "lva", "bva", "dev");
        Bva = new($"vet_bva_{_case}", "bva", "lva", "dev");
    }

    protected IAgendaGraphFactory Factory { get; }

    /// <summary>This test's main show (past visitor labels end in lva and bva), in the dev environment.</summary>
    protected GraphIdentity Lva { get; }

    /// <summary>This test's other show, with the main and secondary names swapped.</summary>
    protected GraphIdentity Bva { get; }

    /// <summary>The graph of <see cref="Lva"/>, opened for each test.</summary>
    protected IAgendaGraph Graph { get; private set; } = null!;

    public async Task InitializeAsync() => Graph = await Factory.OpenAsync(Lva);

    public async Task DisposeAsync() => await Graph.DisposeAsync();

    // ------------------------------------------------------------------ shows and environments

    [Fact]
    public async Task Environments_are_separate_graphs()
    {
        await using var test = await Factory.OpenAsync(Lva with { Environment = "test" });
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("DEV-1")], GraphWriteMode.Full);
        await test.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("TEST-1"), Visitor("TEST-2")], GraphWriteMode.Full);

        Assert.Equal(["DEV-1"], (await Graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal(["TEST-1", "TEST-2"], (await test.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
    }

    [Fact]
    public async Task Two_shows_in_one_database_do_not_see_each_other()
    {
        await using var bva = await Factory.OpenAsync(Bva);
        await Graph.UpsertStreamsAsync([new("Surgery", "Operating")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("SHARED", ("Country", "UK")), Visitor("L1")], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["Surgery"])], GraphWriteMode.Full);

        // The same keys in the other show are other nodes; bva's full replacement of this year's sessions leaves lva's alone.
        var bvaVisitors = await bva.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("SHARED", ("Country", "IE"))], GraphWriteMode.Full);
        var bvaSessions = await bva.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S9", ["Dentistry"])], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(1, 0, 0), bvaVisitors);
        Assert.Equal(new GraphWriteStats(1, 0, 0, 0), bvaSessions);
        Assert.Equal("UK", (await Graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Single(v => v.BadgeId == "SHARED").Properties["Country"]);
        Assert.Equal("IE", Assert.Single(await bva.ReadVisitorsAsync(VisitorKind.ThisYear)).Properties["Country"]);
        Assert.Equal(["S1"], (await Graph.ReadSessionsAsync(SessionYear.ThisYear)).Select(s => s.SessionId));
        Assert.Equal(["Surgery"], (await Graph.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal(["Dentistry"], (await bva.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal(2, (await Graph.CountAsync()).Nodes["Visitor_this_year"]);
        Assert.Equal(1, (await bva.CountAsync()).Relationships["HAS_STREAM"]);
    }

    [Fact]
    public async Task Full_mode_creates_updates_changed_and_skips_identical_visitors()
    {
        var first = await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
            [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Nurse")), Visitor("C", ("job_role", "Student"))], GraphWriteMode.Full);
        var second = await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
            [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Vet")), Visitor("C", ("job_role", "Student")),
                Visitor("D", ("job_role", "Vet"))],
            GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(3, 0, 0), first);
        Assert.Equal(new GraphWriteStats(1, 1, 2), second);
        var visitors = await Graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal(["A", "B", "C", "D"], visitors.Select(v => v.BadgeId));
        Assert.Equal("Vet", visitors[1].Properties["job_role"]);
    }

    [Fact]
    public async Task Incremental_mode_creates_new_visitors_and_never_modifies_existing_ones()
    {
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Nurse"))],
            GraphWriteMode.Full);

        var stats = await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear,
            [Visitor("A", ("job_role", "Vet")), Visitor("B", ("job_role", "Vet")), Visitor("C", ("job_role", "Vet"))], GraphWriteMode.Incremental);

        Assert.Equal(new GraphWriteStats(1, 0, 2), stats);
        Assert.Equal("Nurse", (await Graph.ReadVisitorsAsync(VisitorKind.ThisYear))[1].Properties["job_role"]);
    }

    [Fact]
    public async Task Visitor_kinds_are_separate_labels()
    {
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("X")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("X"), Visitor("Y")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("Z")], GraphWriteMode.Full);

        var counts = await Graph.CountAsync();

        Assert.Equal(1, counts.Nodes["Visitor_this_year"]);
        Assert.Equal(2, counts.Nodes["Visitor_last_year_lva"]);
        Assert.Equal(1, counts.Nodes["Visitor_last_year_bva"]);
        Assert.Equal(["Z"], (await Graph.ReadVisitorsAsync(VisitorKind.PastSecondary)).Select(v => v.BadgeId));
    }

    [Fact]
    public async Task Reads_are_ordered_by_key()
    {
        string[] ids = ["b10", "B2", "a", "b1", "_x", "A"];
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, ids.Select(id => Visitor(id)).ToList(), GraphWriteMode.Full);
        await Graph.UpsertStreamsAsync([new("wellbeing", ""), new("Anaesthesia", ""), new("cardiology", "")], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.Past, ids.Select(id => Session(id, ["Cardiology", "Anaesthesia"])).ToList(), GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("P2"), Visitor("P1")], GraphWriteMode.Full);
        await Graph.LinkAttendedSessionsAsync(VisitorKind.PastMain,
            [new("P2", "b1", "d", "f", "n"), new("P1", "b10", "d", "f", "n"), new("P1", "A", "d", "f", "n")], GraphWriteMode.Full);
        await Graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream,
            [new("b1", "wellbeing"), new("a", "Wellbeing"), new("a", "anaesthesia")], GraphWriteMode.Full);

        var ordinal = ids.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ordinal, (await Graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => v.BadgeId));
        Assert.Equal(ordinal, (await Graph.ReadSessionsAsync(SessionYear.Past)).Select(s => s.SessionId));
        Assert.Equal(["Anaesthesia", "cardiology", "wellbeing"], (await Graph.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal([("P1", "A"), ("P1", "b10"), ("P2", "b1")],
            (await Graph.ReadAttendedSessionsAsync(VisitorKind.PastMain)).Select(a => (a.BadgeId, a.SessionId)));
        Assert.Equal([("a", "Anaesthesia"), ("a", "wellbeing"), ("b1", "wellbeing")],
            (await Graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream)).Select(l => (l.BadgeId, l.Stream)));
    }

    [Fact]
    public async Task Incremental_mode_keeps_this_years_sessions_with_their_embeddings_and_adds_new_ones()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["Surgery"], ("title", "Old"))], GraphWriteMode.Full);
        await Graph.StoreEmbeddingsAsync([new(SessionYear.ThisYear, "S1", "h1", "m", [1f])]);

        var stats = await Graph.UpsertSessionsAsync(SessionYear.ThisYear,
            [Session("S1", ["Dentistry"], ("title", "New")), Session("S2", ["Dentistry"])], GraphWriteMode.Incremental);

        Assert.Equal(new GraphWriteStats(1, 0, 1, 0), stats);
        var sessions = await Graph.ReadSessionsAsync(SessionYear.ThisYear);
        Assert.Equal("Old", sessions[0].Properties["title"]);
        Assert.Equal(["Surgery"], sessions[0].Streams);
        Assert.Single(await Graph.ReadEmbeddingsAsync(SessionYear.ThisYear));
        Assert.Equal(2, (await Graph.CountAsync()).Relationships["HAS_STREAM"]);
    }

    [Fact]
    public async Task Past_sessions_in_full_mode_are_upserted_and_a_stream_change_relinks()
    {
        await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", ["Surgery", "Cardiology"]), Session("P2", ["Surgery"])],
            GraphWriteMode.Full);
        await Graph.StoreEmbeddingsAsync([new(SessionYear.Past, "P1", "h1", "m", [1f])]);

        var stats = await Graph.UpsertSessionsAsync(SessionYear.Past,
            [Session("P1", ["Cardiology"]), Session("P2", ["Surgery"]), Session("P3", [])], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(1, 1, 1, 0), stats);
        Assert.Equal(["Cardiology"], (await Graph.ReadSessionsAsync(SessionYear.Past))[0].Streams);
        Assert.Equal(2, (await Graph.CountAsync()).Relationships["HAS_STREAM"]); // P1-Cardiology, P2-Surgery
        Assert.Single(await Graph.ReadEmbeddingsAsync(SessionYear.Past)); // kept: step 3 decides staleness by text hash
    }

    [Fact]
    public async Task Streams_link_case_insensitively_and_missing_streams_are_created_described_by_their_name()
    {
        await Graph.UpsertStreamsAsync([new("Small Animal", "Dogs and cats")], GraphWriteMode.Full);

        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", ["small animal", " SURGERY ", "", "Surgery"])], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", ["SMALL ANIMAL"])], GraphWriteMode.Full);

        var streams = await Graph.ReadStreamsAsync();
        Assert.Equal([new StreamNode("Small Animal", "Dogs and cats"), new StreamNode("SURGERY", "SURGERY")], streams);
        Assert.Equal(["small animal", "SURGERY", "Surgery"], Assert.Single(await Graph.ReadSessionsAsync(SessionYear.ThisYear)).Streams);
        var counts = await Graph.CountAsync();
        Assert.Equal(2, counts.Nodes["Stream"]);
        Assert.Equal(3, counts.Relationships["HAS_STREAM"]); // S1: small animal, surgery; P1: small animal
    }

    [Fact]
    public async Task Stream_upserts_match_case_insensitively()
    {
        var first = await Graph.UpsertStreamsAsync([new("Surgery", "Operating"), new("Dentistry", "Teeth")], GraphWriteMode.Full);
        var full = await Graph.UpsertStreamsAsync([new("surgery", "Operating"), new("DENTISTRY", "Teeth and gums"), new("Wellbeing", "Mind")],
            GraphWriteMode.Full);
        var incremental = await Graph.UpsertStreamsAsync([new("Surgery", "Changed"), new("Exotics", "Reptiles")], GraphWriteMode.Incremental);
        var unchanged = await Graph.UpsertStreamsAsync([new("DENTISTRY", "Teeth and gums")], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(2, 0, 0), first);
        Assert.Equal(new GraphWriteStats(1, 2, 0), full);
        Assert.Equal(new GraphWriteStats(1, 0, 1), incremental);
        Assert.Equal(new GraphWriteStats(0, 0, 1), unchanged);
        Assert.Equal([new StreamNode("DENTISTRY", "Teeth and gums"), new StreamNode("Exotics", "Reptiles"), new StreamNode("surgery", "Operating"),
                new StreamNode("Wellbeing", "Mind")],
            await Graph.ReadStreamsAsync());
    }

    [Fact]
    public async Task Links_to_missing_endpoints_are_skipped()
    {
        await Graph.UpsertStreamsAsync([new("Surgery", "")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("P1")], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("PS1", [])], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);

        var streams = await Graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.SpecialisationToStream,
            [new("V1", "surgery"), new("V1", "Nope"), new("NOPE", "Surgery"), new("V1", "SURGERY")], GraphWriteMode.Full);
        var same = await Graph.LinkSameVisitorsAsync(
            [new("V1", VisitorKind.PastMain, "P1", "Same_Visitor_lva"), new("V1", VisitorKind.PastSecondary, "P1", "x"),
                new("NOPE", VisitorKind.PastMain, "P1", "x")],
            GraphWriteMode.Full);
        var attended = await Graph.LinkAttendedSessionsAsync(VisitorKind.PastMain,
            [new("P1", "PS1", "2025-03-01", "scans.csv", "Seminar"), new("P1", "NOPE", "", "", ""), new("P1", "S1", "", "", "")],
            GraphWriteMode.Full);
        var embeddings = await Graph.StoreEmbeddingsAsync(
            [new(SessionYear.ThisYear, "S1", "h", "m", [1f]), new(SessionYear.ThisYear, "PS1", "h", "m", [1f])]);
        var recommendations = await Graph.StoreRecommendationsAsync(["V1", "NOPE"],
            [new("V1", "S1", 0.5), new("V1", "PS1", 0.5), new("NOPE", "S1", 0.5)], [], Monday);

        Assert.Equal(new GraphWriteStats(1, 0, 3), streams); // the last one already exists
        Assert.Equal(new GraphWriteStats(1, 0, 2), same);
        Assert.Equal(new GraphWriteStats(1, 0, 2), attended); // S1 is this year's, not a past session
        Assert.Equal(new GraphWriteStats(1, 0, 1), embeddings);
        Assert.Equal(new GraphWriteStats(1, 0, 2, 0), recommendations);
        Assert.Equal([new VisitorStreamLink("V1", "Surgery")],
            await Graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.SpecialisationToStream));
        Assert.Empty(await Graph.ReadVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream));
    }

    [Fact]
    public async Task Relationship_properties_update_in_full_mode_only()
    {
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("M1")], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("B1")], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("PS1", []), Session("PS2", [])], GraphWriteMode.Full);
        await Graph.LinkSameVisitorsAsync([new("V1", VisitorKind.PastSecondary, "B1", "old"), new("V1", VisitorKind.PastMain, "M1", "main")],
            GraphWriteMode.Full);
        await Graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("M1", "PS1", "d1", "f", "n")], GraphWriteMode.Full);

        var sameIncremental = await Graph.LinkSameVisitorsAsync(
            [new("V1", VisitorKind.PastSecondary, "B1", "new"), new("V2", VisitorKind.PastSecondary, "B1", "v2")],
            GraphWriteMode.Incremental);
        var sameFull = await Graph.LinkSameVisitorsAsync(
            [new("V1", VisitorKind.PastSecondary, "B1", "new"), new("V1", VisitorKind.PastMain, "M1", "main")], GraphWriteMode.Full);
        var attendedIncremental = await Graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("M1", "PS1", "d2", "f", "n")],
            GraphWriteMode.Incremental);
        var attendedFull = await Graph.LinkAttendedSessionsAsync(VisitorKind.PastMain,
            [new("M1", "PS1", "d2", "f", "n"), new("M1", "PS2", "d3", "f", "n")], GraphWriteMode.Full);

        Assert.Equal(new GraphWriteStats(1, 0, 1), sameIncremental);
        Assert.Equal(new GraphWriteStats(0, 1, 1), sameFull);
        Assert.Equal(new GraphWriteStats(0, 0, 1), attendedIncremental);
        Assert.Equal(new GraphWriteStats(1, 1, 0), attendedFull);
        Assert.Equal(
            [new SameVisitorLink("V1", VisitorKind.PastMain, "M1", "main"), new SameVisitorLink("V1", VisitorKind.PastSecondary, "B1", "new"),
             new SameVisitorLink("V2", VisitorKind.PastSecondary, "B1", "v2")],
            await Graph.ReadSameVisitorsAsync());
        Assert.Equal([new AttendanceLink("M1", "PS1", "d2", "f", "n"), new AttendanceLink("M1", "PS2", "d3", "f", "n")],
            await Graph.ReadAttendedSessionsAsync(VisitorKind.PastMain));
        Assert.Empty(await Graph.ReadAttendedSessionsAsync(VisitorKind.PastSecondary));
        await Assert.ThrowsAsync<ArgumentException>(
            () => Graph.LinkSameVisitorsAsync([new("V1", VisitorKind.ThisYear, "V2", "x")], GraphWriteMode.Full));
    }

    [Fact]
    public async Task Control_group_members_keep_their_links_and_are_flagged()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);

        await Graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S1", 0.9), new("V2", "S1", 0.4)], ["V2"], Monday);

        var visitors = await Graph.ReadVisitorsAsync(VisitorKind.ThisYear);
        Assert.Equal([(true, false), (true, true)], visitors.Select(v => (v.HasRecommendation, v.ControlGroup)));
        Assert.Empty(await Graph.ReadVisitorsAsync(VisitorKind.ThisYear, onlyWithoutRecommendation: true));
        Assert.Equal(2, (await Graph.CountAsync()).Relationships["IS_RECOMMENDED"]);
    }

    [Fact]
    public async Task Recommendations_outside_the_replaced_visitors_are_refused_before_writing()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await Graph.StoreRecommendationsAsync(["V1"], [new("V1", "S1", 0.9)], [], Monday);

        await Assert.ThrowsAsync<ArgumentException>(() => Graph.StoreRecommendationsAsync(["V1"], [new("V2", "S1", 0.5)], [], Monday));
        await Assert.ThrowsAsync<ArgumentException>(() => Graph.StoreRecommendationsAsync(["V1"], [], ["V2"], Monday));
        await Assert.ThrowsAsync<ArgumentException>(() => Graph.StoreRecommendationsAsync(["V1"], [new("V1", "S1", double.NaN)], [], Monday));

        Assert.Equal([new RecommendationLink("V1", "S1", 0.9)], await Graph.ReadRecommendationsAsync());
    }

    [Fact]
    public async Task Counts_list_every_label_and_type_of_the_identity()
    {
        var empty = await Graph.CountAsync();

        Assert.Equal(["Sessions_past_year", "Sessions_this_year", "Stream", "Visitor_last_year_bva", "Visitor_last_year_lva", "Visitor_this_year"],
            empty.Nodes.Keys);
        Assert.Equal(["HAS_STREAM", "IS_RECOMMENDED", "Same_Visitor", "attended_session", "job_to_stream", "specialization_to_stream"],
            empty.Relationships.Keys);
        Assert.All(empty.Nodes.Values.Concat(empty.Relationships.Values), count => Assert.Equal(0, count));

        await Graph.UpsertVisitorsAsync(VisitorKind.PastSecondary, [Visitor("B1")], GraphWriteMode.Full);
        await Graph.UpsertStreamsAsync([new("Surgery", "")], GraphWriteMode.Full);
        await Graph.LinkVisitorStreamsAsync(VisitorKind.PastSecondary, VisitorStreamRelation.JobToStream, [new("B1", "Surgery")],
            GraphWriteMode.Full);
        await Graph.LinkVisitorStreamsAsync(VisitorKind.PastSecondary, VisitorStreamRelation.SpecialisationToStream, [new("B1", "Surgery")],
            GraphWriteMode.Full);

        var counts = await Graph.CountAsync();
        Assert.Equal(1, counts.Nodes["Visitor_last_year_bva"]);
        Assert.Equal(1, counts.Relationships["job_to_stream"]);
        Assert.Equal(1, counts.Relationships["specialization_to_stream"]);
    }

    [Fact]
    public async Task Duplicate_links_keep_the_last_score_wherever_they_are_in_the_input()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, Enumerable.Range(0, 30).Select(i => Session($"S{i:D2}", [])).ToList(),
            GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        // V1 has more links than a short sort handles, interleaved with V2's, with repeats far apart and a missing session.
        var links = new List<RecommendationLink>();
        for (var round = 0; round < 3; round++)
            for (var i = 29; i >= 0; i -= 1 + round)
            {
                links.Add(new("V1", $"S{i:D2}", round + i / 100.0));
                if (i % 7 == 0) links.Add(new("V2", $"S{i:D2}", -round - i / 100.0));
                if (i % 11 == 0) links.Add(new("V1", "NOPE", 1));
            }

        var stats = await Graph.StoreRecommendationsAsync(["V1", "V2"], links, [], Monday);

        var expected = new Dictionary<(string, string), double>();
        foreach (var link in links.Where(l => l.SessionId != "NOPE")) expected[(link.BadgeId, link.SessionId)] = link.SimilarityScore;
        var stored = await Graph.ReadRecommendationsAsync();
        Assert.Equal(expected.OrderBy(e => e.Key.Item1, StringComparer.Ordinal).ThenBy(e => e.Key.Item2, StringComparer.Ordinal)
            .Select(e => new RecommendationLink(e.Key.Item1, e.Key.Item2, e.Value)), stored);
        var skipped = links.Count(l => l.SessionId == "NOPE");
        Assert.Equal(new GraphWriteStats(expected.Count, links.Count - skipped - expected.Count, skipped, 0), stats);
    }

    [Fact]
    public async Task Control_group_flags_are_set_and_cleared_and_need_no_links()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2"), Visitor("V3")], GraphWriteMode.Full);

        await Graph.StoreRecommendationsAsync(["V1", "V2", "V3"], [new("V1", "S1", 0.9), new("V2", "S1", 0.8)], ["V1", "V3"], Monday);
        var first = await FlagsAsync();
        await Graph.StoreRecommendationsAsync(["V1", "V2", "V3"], [new("V1", "S1", 0.9), new("V2", "S1", 0.8)], ["V2"], Monday);
        var second = await FlagsAsync();

        Assert.Equal([("V1", true, true), ("V2", true, false), ("V3", false, true)], first);
        Assert.Equal([("V1", true, false), ("V2", true, true), ("V3", false, false)], second);
    }

    [Fact]
    public async Task A_null_badge_id_is_refused_before_writing()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1")], GraphWriteMode.Full);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Graph.StoreRecommendationsAsync(["V1", null!], [new("V1", "S1", 0.5)], [], Monday));

        Assert.Empty(await Graph.ReadRecommendationsAsync());
    }

    // ------------------------------------------------------------------ idempotence, merging, duplicates, cancellation

    [Fact]
    public async Task Writing_the_same_nodes_and_links_again_changes_nothing()
    {
        async Task<GraphWriteStats[]> WriteAllAsync(GraphWriteMode mode) =>
        [
            await Graph.UpsertStreamsAsync([new("Surgery", "Operating"), new("Dentistry", "Teeth")], mode),
            await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1", ("job_role", "Vet")), Visitor("V2")], mode),
            await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("P1")], mode),
            await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("PS1", ["Surgery", " dentistry "])], mode),
            await Graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream, [new("V1", "surgery")], mode),
            await Graph.LinkSameVisitorsAsync([new("V1", VisitorKind.PastMain, "P1", "Same_Visitor_lva")], mode),
            await Graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("P1", "PS1", "2025-03-01", "scans.csv", "Seminar")], mode),
            await Graph.StoreEmbeddingsAsync([new(SessionYear.Past, "PS1", "h", "m", [0.25f, -1f])]),
        ];

        var first = await WriteAllAsync(GraphWriteMode.Full);
        var countsAfterFirst = await Graph.CountAsync();
        var full = await WriteAllAsync(GraphWriteMode.Full);
        var incremental = await WriteAllAsync(GraphWriteMode.Incremental);

        Assert.Equal([2, 2, 1, 1, 1, 1, 1, 1], first.Select(s => s.Created));
        Assert.All(full.Concat(incremental), s => Assert.Equal((0, 0, 0), (s.Created, s.Updated, s.Deleted)));
        Assert.Equal([2, 2, 1, 1, 1, 1, 1, 1], full.Select(s => s.Skipped));
        var counts = await Graph.CountAsync();
        Assert.Equal(countsAfterFirst.Nodes.ToArray(), counts.Nodes.ToArray());
        Assert.Equal(countsAfterFirst.Relationships.ToArray(), counts.Relationships.ToArray());
        Assert.Equal(2, counts.Relationships["HAS_STREAM"]);
    }

    [Fact]
    public async Task Full_mode_sets_the_given_properties_and_keeps_the_others()
    {
        await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("z", "1"), ("a", "2"), ("m", "3")))],
            GraphWriteMode.Full);

        var subset = await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("a", "2")))], GraphWriteMode.Full);
        var changed = await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("added", "x"), ("a", "20")))],
            GraphWriteMode.Full);
        var incremental = await Graph.UpsertVisitorsAsync(VisitorKind.PastMain, [new VisitorNode("P1", Properties(("z", "changed")))],
            GraphWriteMode.Incremental);

        Assert.Equal(new GraphWriteStats(0, 0, 1), subset);
        Assert.Equal(new GraphWriteStats(0, 1, 0), changed);
        Assert.Equal(new GraphWriteStats(0, 0, 1), incremental);
        var properties = Assert.Single(await Graph.ReadVisitorsAsync(VisitorKind.PastMain)).Properties;
        // Property order is not part of the contract (Neo4j does not keep it).
        Assert.Equal([("a", "20"), ("added", "x"), ("m", "3"), ("z", "1")],
            properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public async Task A_null_property_value_is_stored_as_empty_text()
    {
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [new VisitorNode("V1", Properties(("BadgeId", "V1"), ("Company", null!)))],
            GraphWriteMode.Full);

        Assert.Equal("", Assert.Single(await Graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Properties["Company"]);
    }

    [Fact]
    public async Task In_full_mode_the_last_of_duplicate_keys_in_one_call_wins()
    {
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1", ("job_role", "Nurse")), Visitor("V1", ("job_role", "Vet"))],
            GraphWriteMode.Full);
        await Graph.UpsertStreamsAsync([new("Surgery", "first"), new(" SURGERY ", "last")], GraphWriteMode.Full);

        Assert.Equal("Vet", Assert.Single(await Graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Properties["job_role"]);
        Assert.Equal([new StreamNode("SURGERY", "last")], await Graph.ReadStreamsAsync());
    }

    [Fact]
    public async Task Session_streams_are_stored_trimmed_without_blanks_and_linked_once_per_stream_key()
    {
        await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", [" Surgery", "", "   ", "surgery", "Dentistry "])], GraphWriteMode.Full);

        Assert.Equal(["Surgery", "surgery", "Dentistry"], Assert.Single(await Graph.ReadSessionsAsync(SessionYear.Past)).Streams);
        Assert.Equal(["Dentistry", "Surgery"], (await Graph.ReadStreamsAsync()).Select(s => s.Stream));
        Assert.Equal(2, (await Graph.CountAsync()).Relationships["HAS_STREAM"]);
    }

    [Fact]
    public async Task A_cancelled_write_changes_nothing()
    {
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1")], GraphWriteMode.Full);
        await Graph.StoreRecommendationsAsync(["V1"], [new("V1", "S1", 0.9)], [], Monday);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1", ("job_role", "Vet")), Visitor("V2")], GraphWriteMode.Full,
                cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Graph.StoreRecommendationsAsync(["V1"], [], ["V1"], Monday.AddDays(7), cancelled.Token));

        var visitor = Assert.Single(await Graph.ReadVisitorsAsync(VisitorKind.ThisYear));
        Assert.Equal(("V1", false, true, false),
            (visitor.BadgeId, visitor.Properties.ContainsKey("job_role"), visitor.HasRecommendation, visitor.ControlGroup));
        Assert.Equal([new RecommendationLink("V1", "S1", 0.9)], await Graph.ReadRecommendationsAsync());
    }

    // ------------------------------------------------------------------ embeddings

    [Fact]
    public async Task Embeddings_round_trip_bit_exactly_and_are_stored_again_only_when_changed()
    {
        float[] vector = [0f, -0f, float.Epsilon, float.MaxValue, float.MinValue, 1e-40f, 0.1f, -0.3333333f];
        await Graph.UpsertSessionsAsync(SessionYear.Past, [Session("P1", []), Session("P2", [])], GraphWriteMode.Full);
        await Graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);

        var stored = await Graph.StoreEmbeddingsAsync(
            [new(SessionYear.Past, "P1", "h1", "m", vector), new(SessionYear.Past, "P2", "h2", "m", [1f]),
             new(SessionYear.ThisYear, "S1", "hs", "m", [2f])]);
        var again = await Graph.StoreEmbeddingsAsync(
            [new(SessionYear.Past, "P1", "h1", "m", vector), new(SessionYear.Past, "P2", "h2", "m", [1f, 3f]),
             new(SessionYear.ThisYear, "S1", "hs2", "m", [2f])]);

        Assert.Equal(new GraphWriteStats(3, 0, 0), stored);
        Assert.Equal(new GraphWriteStats(0, 2, 1), again);
        var past = await Graph.ReadEmbeddingsAsync(SessionYear.Past);
        Assert.Equal(vector.Select(BitConverter.SingleToInt32Bits), past[0].Vector.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(new[] { 1f, 3f }, past[1].Vector);
        Assert.Equal([new EmbeddingStamp(SessionYear.ThisYear, "S1", "hs2", "m"), new EmbeddingStamp(SessionYear.Past, "P1", "h1", "m"),
            new EmbeddingStamp(SessionYear.Past, "P2", "h2", "m")], await Graph.ReadEmbeddingStampsAsync());
    }

    private async Task<List<(string BadgeId, bool HasRecommendation, bool ControlGroup)>> FlagsAsync() =>
        (await Graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => (v.BadgeId, v.HasRecommendation, v.ControlGroup)).ToList();
}
