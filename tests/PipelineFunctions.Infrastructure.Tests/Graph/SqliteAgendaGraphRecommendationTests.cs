using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;
using static PipelineFunctions.Infrastructure.Tests.Graph.GraphData;

namespace PipelineFunctions.Infrastructure.Tests.Graph;

/// <summary>The replace semantics of <see cref="IAgendaGraph.StoreRecommendationsAsync"/> that its bulk write must keep.</summary>
public sealed class SqliteAgendaGraphRecommendationTests(GraphFolderFixture folder) : IClassFixture<GraphFolderFixture>, IAsyncLifetime
{
    private readonly SqliteAgendaGraphFactory _factory = folder.NewFactory();
    private IAgendaGraph _graph = null!;

    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync() => _graph = await _factory.OpenAsync(VetLva);

    public async Task DisposeAsync() => await _graph.DisposeAsync();

    private string DevDatabase => _factory.DatabasePath("dev");

    [Fact]
    public async Task Replacing_some_visitors_leaves_the_others_links_times_and_flags_untouched()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", []), Session("S2", []), Session("S3", [])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2"), Visitor("V3"), Visitor("V4")], GraphWriteMode.Full);
        await _graph.StoreRecommendationsAsync(["V1", "V2", "V3", "V4"],
            [new("V1", "S1", 0.1), new("V2", "S1", 0.2), new("V2", "S2", 0.3), new("V3", "S3", 0.4), new("V4", "S2", 0.5)], ["V1", "V3"], Monday);

        var second = await _graph.StoreRecommendationsAsync(["V2", "V3"], [new("V2", "S3", 0.6)], ["V2"], Monday.AddDays(7));

        Assert.Equal(new GraphWriteStats(1, 0, 0, 3), second);
        Assert.Equal([new RecommendationLink("V1", "S1", 0.1), new RecommendationLink("V2", "S3", 0.6), new RecommendationLink("V4", "S2", 0.5)],
            await _graph.ReadRecommendationsAsync());
        Assert.Equal($"V1:{Monday:O},V2:{Monday.AddDays(7):O},V4:{Monday:O}", await ScalarAsync(DevDatabase, """
            SELECT group_concat(badge_id || ':' || generated_at, ',') FROM
                (SELECT v.badge_id, w.generated_at FROM is_recommended r JOIN visitors v ON v.id = r.visitor
                    JOIN recommendation_writes w ON w.id = r.write_id ORDER BY v.badge_id)
            """));
        Assert.Equal([("V1", true, true), ("V2", true, true), ("V3", false, false), ("V4", true, false)],
            (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => (v.BadgeId, v.HasRecommendation, v.ControlGroup)));
    }

    [Fact]
    public async Task Links_recommended_again_are_overwritten_and_the_dropped_ones_deleted()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", []), Session("S2", []), Session("S3", []), Session("S4", [])],
            GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S1", 0.1), new("V1", "S2", 0.2), new("V1", "S3", 0.3), new("V2", "S2", 0.4)],
            [], Monday);

        // V1 keeps S2 (new score), drops S1 and S3 and gains S4; V2 is given with the same link and score again.
        var again = await _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S4", 0.5), new("V1", "S2", 0.6), new("V2", "S2", 0.4)],
            [], Monday.AddDays(7));

        Assert.Equal(new GraphWriteStats(3, 0, 0, 4), again);
        Assert.Equal([new RecommendationLink("V1", "S2", 0.6), new RecommendationLink("V1", "S4", 0.5), new RecommendationLink("V2", "S2", 0.4)],
            await _graph.ReadRecommendationsAsync());
        Assert.Equal($"{Monday.AddDays(7):O}:3", await ScalarAsync(DevDatabase,
            "SELECT group_concat(g || ':' || n, ',') FROM (SELECT w.generated_at g, count(*) n FROM is_recommended r "
            + "JOIN recommendation_writes w ON w.id = r.write_id GROUP BY g)"));
        // The session index matches the table, so replacing this year's sessions still cascades to every link.
        Assert.Equal("ok", await ScalarAsync(DevDatabase, "PRAGMA integrity_check"));
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S9", [])], GraphWriteMode.Full);
        Assert.Empty(await _graph.ReadRecommendationsAsync());
        Assert.Equal(0L, await ScalarAsync(DevDatabase, "SELECT count(*) FROM is_recommended"));
    }

    [Fact]
    public async Task A_cancelled_write_changes_nothing_and_leaves_foreign_keys_enforced()
    {
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", []), Session("S2", [])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1"), Visitor("V2")], GraphWriteMode.Full);
        await _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V1", "S1", 0.9)], ["V2"], Monday);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _graph.StoreRecommendationsAsync(["V1", "V2"], [new("V2", "S2", 0.5)], [], Monday.AddDays(7), cancelled.Token));

        Assert.Equal([new RecommendationLink("V1", "S1", 0.9)], await _graph.ReadRecommendationsAsync());
        Assert.Equal([("V1", true, false), ("V2", false, true)], await FlagsAsync());
        // The write turns foreign-key checks off for itself only: replacing this year's sessions still cascades to the links.
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S3", [])], GraphWriteMode.Full);
        Assert.Equal(0L, await ScalarAsync(DevDatabase, "SELECT count(*) FROM is_recommended"));
    }

    [Fact]
    public async Task Link_writes_turn_foreign_key_checks_off_for_themselves_only_even_when_cancelled()
    {
        await _graph.UpsertStreamsAsync([new("cardiology", "")], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S1", [])], GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, [Session("P-S1", [])], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, [Visitor("V1")], GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, [Visitor("P1")], GraphWriteMode.Full);
        await _graph.StoreRecommendationsAsync(["V1"], [new("V1", "S1", 0.9)], [], Monday);

        Assert.Equal(1, (await _graph.LinkVisitorStreamsAsync(VisitorKind.ThisYear, VisitorStreamRelation.JobToStream,
            [new("V1", "Cardiology")], GraphWriteMode.Full)).Created);
        Assert.Equal(1, (await _graph.LinkSameVisitorsAsync([new("V1", VisitorKind.PastMain, "P1", "returning")], GraphWriteMode.Full)).Created);
        Assert.Equal(1, (await _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain, [new("P1", "P-S1", "d", "f", "n")],
            GraphWriteMode.Full)).Created);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _graph.LinkAttendedSessionsAsync(VisitorKind.PastMain,
            [new("P1", "P-S1", "d2", "f", "n")], GraphWriteMode.Full, cancelled.Token));

        // Enforcement is back on for the connection: replacing this year's sessions cascades to the recommendation links.
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, [Session("S3", [])], GraphWriteMode.Full);
        Assert.Equal(0L, await ScalarAsync(DevDatabase, "SELECT count(*) FROM is_recommended"));
        Assert.Equal("d", await ScalarAsync(DevDatabase, "SELECT scan_date FROM attended_session"));
        Assert.Equal("[]", await ScalarAsync(DevDatabase, "SELECT json_group_array(parent) FROM pragma_foreign_key_check"));
    }

    /// <summary>Several replacements of thousands of links (duplicates, missing endpoints, any order, keys whose row ids
    /// are not in key order), each checked against a plain model of the semantics.</summary>
    [Fact]
    public async Task Bulk_replacements_match_a_plain_model_of_the_semantics()
    {
        var random = new Random(20260302);
        var visitors = Enumerable.Range(0, 1500).Select(i => $"V{i:D4}").OrderBy(_ => random.Next()).ToList();
        var sessions = Enumerable.Range(0, 60).Select(i => $"S{i:D2}").OrderBy(_ => random.Next()).ToList();
        await _graph.UpsertVisitorsAsync(VisitorKind.ThisYear, visitors.Skip(100).Select(v => Visitor(v)).ToList(), GraphWriteMode.Full);
        await _graph.UpsertVisitorsAsync(VisitorKind.PastMain, visitors.Take(100).Select(v => Visitor(v)).ToList(), GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.ThisYear, sessions.Skip(5).Select(s => Session(s, [])).ToList(), GraphWriteMode.Full);
        await _graph.UpsertSessionsAsync(SessionYear.Past, sessions.Take(5).Select(s => Session(s, [])).ToList(), GraphWriteMode.Full);
        var existingVisitors = visitors.Skip(100).ToHashSet();
        var existingSessions = sessions.Skip(5).ToHashSet();

        var model = new Dictionary<(string Badge, string Session), (double Score, DateTimeOffset At)>();
        var flags = new Dictionary<string, (bool Has, bool Control)>();
        (List<string> Given, List<RecommendationLink> Links, List<string> Control)? previous = null;
        for (var call = 0; call < 4; call++)
        {
            // The last call repeats the one before (a re-run), later.
            var (given, links, control) = call == 3 ? previous!.Value : RandomCall(random, visitors, sessions);
            previous = (given, links, control);
            var at = Monday.AddDays(7 * call);

            var stats = await _graph.StoreRecommendationsAsync(given, links, control, at);

            var found = given.Where(existingVisitors.Contains).ToHashSet();
            var expected = new GraphWriteStats(0, 0, 0, model.Keys.Count(k => found.Contains(k.Badge)));
            foreach (var key in model.Keys.Where(k => found.Contains(k.Badge)).ToList()) model.Remove(key);
            var written = new HashSet<(string, string)>();
            foreach (var link in links)
            {
                if (!found.Contains(link.BadgeId) || !existingSessions.Contains(link.SessionId))
                {
                    expected = expected with { Skipped = expected.Skipped + 1 };
                    continue;
                }
                expected = written.Add((link.BadgeId, link.SessionId))
                    ? expected with { Created = expected.Created + 1 }
                    : expected with { Updated = expected.Updated + 1 };
                model[(link.BadgeId, link.SessionId)] = (link.SimilarityScore, at);
            }
            foreach (var badge in found) flags[badge] = (written.Any(w => w.Item1 == badge), control.Contains(badge));

            Assert.Equal(expected, stats);
            Assert.Equal(model.OrderBy(m => m.Key.Badge, StringComparer.Ordinal).ThenBy(m => m.Key.Session, StringComparer.Ordinal)
                .Select(m => new RecommendationLink(m.Key.Badge, m.Key.Session, m.Value.Score)), await _graph.ReadRecommendationsAsync());
            Assert.Equal(string.Join(",", model.Values.GroupBy(m => m.At).OrderBy(g => g.Key).Select(g => $"{g.Key:O}:{g.Count()}")),
                await ScalarAsync(DevDatabase, "SELECT coalesce(group_concat(g || ':' || n, ','), '') " +
                    "FROM (SELECT w.generated_at g, count(*) n FROM is_recommended r JOIN recommendation_writes w ON w.id = r.write_id " +
                    "GROUP BY g ORDER BY g)"));
            Assert.Equal(
                existingVisitors.Order(StringComparer.Ordinal).Select(v => (v, flags.GetValueOrDefault(v).Has, flags.GetValueOrDefault(v).Control)),
                await FlagsAsync());
        }
    }

    private static (List<string> Given, List<RecommendationLink> Links, List<string> Control) RandomCall(Random random, List<string> visitors,
        List<string> sessions)
    {
        var given = visitors.Where(_ => random.NextDouble() < 0.6).Append("NOT_IN_GRAPH").ToList();
        given.Add(given[0]); // a repeated badge id is one visitor
        var links = new List<RecommendationLink>();
        foreach (var badge in given)
            for (var n = random.NextDouble() < 0.05 ? 40 : random.Next(0, 12); n > 0; n--)
                links.Add(new(badge, random.NextDouble() < 0.03 ? "NOPE" : sessions[random.Next(sessions.Count)],
                    Math.Round(random.NextDouble(), 6)));
        var control = given.Where(_ => random.NextDouble() < 0.1).ToList();
        return (given, links.OrderBy(_ => random.Next()).ToList(), control);
    }

    private async Task<List<(string BadgeId, bool HasRecommendation, bool ControlGroup)>> FlagsAsync() =>
        (await _graph.ReadVisitorsAsync(VisitorKind.ThisYear)).Select(v => (v.BadgeId, v.HasRecommendation, v.ControlGroup)).ToList();
}
