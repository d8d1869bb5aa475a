using System.Text.Json;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations;
using Xunit.Abstractions;
using static PipelineFunctions.Core.Tests.Steps.Recommendations.RecommendationTestData;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

public sealed class AgendaAssemblerTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> NoProps = [];

    // HOT sits in the limited theatre "Main"; s1..s4 are in "Side", which has no capacity (unlimited). No clashes.
    private static readonly Dictionary<string, RecommendableSession> Sessions = ById(
        Session("HOT", "Popular", "S", Day1, "09:00", "10:00", "Main"),
        Session("s1", "one", "S", Day1, "10:00", "11:00", "Side"),
        Session("s2", "two", "S", Day1, "11:00", "12:00", "Side"),
        Session("s3", "three", "S", Day1, "12:00", "13:00", "Side"),
        Session("s4", "four", "S", Day1, "13:00", "14:00", "Side"),
        Session("s5", "five", "S", Day1, "14:00", "15:00", "Side"),
        Session("x1", "clashes with s1", "S", Day1, "10:30", "11:30", "Side"));

    private static readonly Dictionary<string, int> MainHoldsOne = new() { ["Main"] = 1 };

    private static Dictionary<string, Agenda> ByBadge(AssemblyResult result) => result.Agendas.ToDictionary(a => a.BadgeId);

    private static List<string> Ids(Agenda agenda) => agenda.Items.Select(i => i.SessionId).ToList();

    [Fact]
    public void A_full_slot_goes_to_the_best_visitors_and_the_others_are_backfilled()
    {
        // Limit = floor(1 x 2.0) = 2; five visitors all rank HOT first.
        var visitors = Enumerable.Range(1, 5).Select(i => Visitor($"V{i}", NoProps,
            ("HOT", 1.0 - i * 0.01), ("s1", 0.8), ("s2", 0.7), ("s3", 0.6), ("s4", 0.5))).ToList();
        var result = new AgendaAssembler(Settings(max: 3, multiplier: 2.0), MainHoldsOne).Assemble(visitors, Sessions);
        var agendas = ByBadge(result);

        Assert.Equal(["HOT", "s1", "s2"], Ids(agendas["V1"]));
        Assert.Equal(["HOT", "s1", "s2"], Ids(agendas["V2"]));
        foreach (var badge in new[] { "V3", "V4", "V5" })
        {
            Assert.Equal(["s1", "s2", "s3"], Ids(agendas[badge]));
            Assert.Contains(agendas[badge].Notes, n => n.Contains("HOT", StringComparison.Ordinal));
        }
        Assert.All(result.Agendas, a => Assert.Equal(3, a.Items.Count));

        var stats = result.Statistics;
        Assert.Equal(3, stats.CapacityRefusals);
        Assert.Equal(3, stats.BackfilledVisitors);
        Assert.Equal(1, stats.SlotsAtCapacity);
        Assert.Equal(15, stats.Assignments);
        Assert.Equal(5, stats.VisitorsWithRecommendations);
        var main = Assert.Single(stats.Theatres, t => t.Theatre == "Main");
        Assert.Equal((1, 2, 2, 1, 3, 1.0),
            (main.Capacity!.Value, main.SlotLimit!.Value, main.Assignments, main.SlotsAtCapacity, main.CapacityRefusals, main.AverageFill!.Value));
        var side = Assert.Single(stats.Theatres, t => t.Theatre == "Side");
        Assert.Null(side.SlotLimit);
        Assert.Equal(13, side.Assignments);
    }

    [Fact]
    public void Each_slot_reports_its_assignments_against_its_limit_and_agenda_lengths_count_every_visitor()
    {
        // Limit = floor(1 x 2.0) = 2 in Main; V4 has no candidate at all and so no agenda.
        var visitors = Enumerable.Range(1, 3).Select(i => Visitor($"V{i}", NoProps, ("HOT", 1.0 - i * 0.01), ("s1", 0.8))).ToList();
        visitors.Add(Visitor("V4", NoProps));
        var result = new AgendaAssembler(Settings(max: 3, multiplier: 2.0), MainHoldsOne).Assemble(visitors, Sessions);

        var slots = result.Statistics.Slots!;
        Assert.Equal([("Main", TimeOnly.Parse("09:00"), (int?)2, 2, 1), ("Side", TimeOnly.Parse("10:00"), null, 3, 0)],
            slots.Select(s => (s.Theatre, s.Start, s.Limit, s.Assignments, s.CapacityRefusals)));
        Assert.Equal(result.Statistics.Assignments, slots.Sum(s => s.Assignments));
        Assert.Equal(result.Statistics.CapacityRefusals, slots.Sum(s => s.CapacityRefusals));
        // Index = sessions in the agenda: V4 has none, V3 lost HOT and has one, V1 and V2 have two.
        Assert.Equal([1L, 1L, 2L, 0L], result.Statistics.AgendaLengths!);
    }

    [Fact]
    public void Agendas_are_capped_at_max_recommendations_in_score_order()
    {
        var visitor = Visitor("V1", NoProps, ("s1", .9), ("s2", .8), ("s3", .7), ("s4", .6), ("s5", .5), ("HOT", .4));
        var result = new AgendaAssembler(Settings(max: 3), MainHoldsOne).Assemble([visitor], Sessions);
        var agenda = Assert.Single(result.Agendas);
        Assert.Equal(["s1", "s2", "s3"], Ids(agenda));
        Assert.Equal([.9, .8, .7], agenda.Items.Select(i => i.Score));
        Assert.Equal(0, result.Statistics.CapacityRefusals);
    }

    [Fact]
    public void Theatres_without_capacity_and_disabled_capacity_are_unlimited()
    {
        var visitors = Enumerable.Range(0, 100).Select(i => Visitor($"V{i:D3}", NoProps, ("s1", .9), ("HOT", .8))).ToList();

        var unlimitedSide = new AgendaAssembler(Settings(max: 1), MainHoldsOne).Assemble(visitors, Sessions);
        Assert.All(unlimitedSide.Agendas, a => Assert.Equal(["s1"], Ids(a)));

        var disabled = new AgendaAssembler(Settings(max: 2, capacity: false), MainHoldsOne).Assemble(visitors, Sessions);
        Assert.All(disabled.Agendas, a => Assert.Equal(["s1", "HOT"], Ids(a)));
        Assert.Equal(0, disabled.Statistics.SlotsAtCapacity);
        Assert.Equal(0, disabled.Statistics.CapacityRefusals);
    }

    [Fact]
    public void Overlaps_are_resolved_or_annotated_depending_on_the_setting()
    {
        var visitor = Visitor("V1", NoProps, ("s1", .9), ("x1", .85), ("s2", .8), ("s3", .7));

        var resolved = Assert.Single(new AgendaAssembler(Settings(max: 3), MainHoldsOne).Assemble([visitor], Sessions).Agendas);
        Assert.Equal(["s1", "s2", "s3"], Ids(resolved));
        Assert.All(resolved.Items, i => Assert.Empty(i.OverlappingSessionIds));

        var annotated = Assert.Single(new AgendaAssembler(Settings(max: 3, resolve: false), MainHoldsOne).Assemble([visitor], Sessions).Agendas);
        Assert.Equal(["s1", "x1", "s2"], Ids(annotated));
        Assert.Equal(["x1"], annotated.Items[0].OverlappingSessionIds);
        Assert.Equal(["s1", "s2"], annotated.Items[1].OverlappingSessionIds);
        Assert.Equal(["x1"], annotated.Items[2].OverlappingSessionIds);
    }

    [Fact]
    public void Notes_are_carried_and_visitors_without_candidates_get_empty_agendas()
    {
        var notes = new Dictionary<string, IReadOnlyList<string>> { ["V2"] = ["rule note"] };
        var result = new AgendaAssembler(Settings(), MainHoldsOne)
            .Assemble([Visitor("V2", NoProps), Visitor("V1", NoProps, ("s1", .5))], Sessions, notes);
        Assert.Equal(["V1", "V2"], result.Agendas.Select(a => a.BadgeId));
        Assert.Empty(result.Agendas[1].Items);
        Assert.Equal(["rule note"], result.Agendas[1].Notes);
        Assert.Equal(1, result.Statistics.VisitorsWithRecommendations);
    }

    [Fact]
    public void Same_input_gives_identical_output_whatever_the_order()
    {
        var (visitors, sessions, capacity) = RandomShow(seed: 7, visitorCount: 300, sessionCount: 40, candidates: 25, tiedScores: true);
        var assembler = new AgendaAssembler(Settings(max: 5, multiplier: 1.0), capacity);

        var first = JsonSerializer.Serialize(assembler.Assemble(visitors, sessions));
        var again = JsonSerializer.Serialize(assembler.Assemble(visitors, sessions));
        Assert.Equal(first, again);

        var random = new Random(99);
        var shuffled = visitors
            .Select(v => v with { Ranked = v.Ranked.OrderBy(_ => random.Next()).ToList() })
            .OrderBy(_ => random.Next())
            .ToList();
        Assert.Equal(first, JsonSerializer.Serialize(assembler.Assemble(shuffled, sessions)));

        // The random show does exercise capacity.
        Assert.True(assembler.Assemble(visitors, sessions).Statistics.CapacityRefusals > 0);
    }

    [Theory]
    [InlineData(3, true, true, 1.0)]
    [InlineData(10, true, true, 1.0)]
    [InlineData(6, false, true, 0.5)]
    [InlineData(4, true, false, 1.0)]
    public void Agendas_are_what_taking_every_pair_in_one_global_order_gives(int max, bool resolve, bool capacityOn, double multiplier)
    {
        // Ties in score across and within visitors, full slots and clashes: the rounds the assembler examines its pairs in must
        // give what one pass over every (visitor, candidate) pair in the documented order gives.
        var (visitors, sessions, capacity) = RandomShow(seed: 11, visitorCount: 600, sessionCount: 30, candidates: 20, tiedScores: true);
        var settings = Settings(max, resolve, capacityOn, multiplier);

        var result = new AgendaAssembler(settings, capacity).Assemble(visitors, sessions);
        var expected = OnePass(visitors, sessions, capacity, settings);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), result.Agendas.Select(a => a.BadgeId));
        foreach (var agenda in result.Agendas)
        {
            var (items, refused) = expected[agenda.BadgeId];
            Assert.Equal(items, agenda.Items.Select(i => (i.SessionId, i.Score)));
            Assert.Equal(refused.Count > 0 ? 1 : 0, agenda.Notes.Count);
        }
        Assert.Equal(expected.Values.Sum(e => e.Refused.Count), result.Statistics.CapacityRefusals);
        if (capacityOn) Assert.True(result.Statistics.CapacityRefusals > 0, "the show exercises capacity");
    }

    /// <summary>The rules of AgendaAssembler's summary applied to every pair sorted at once.</summary>
    private static Dictionary<string, (List<(string, double)> Items, List<string> Refused)> OnePass(List<VisitorCandidates> visitors,
        Dictionary<string, RecommendableSession> sessions, Dictionary<string, int> capacity, RecommendationSettings settings)
    {
        var agendas = visitors.ToDictionary(v => v.BadgeId, _ => (Items: new List<(string, double)>(), Refused: new List<string>()));
        var taken = new Dictionary<(string, DateOnly, TimeOnly), int>();
        var pairs = visitors.SelectMany(v => v.Ranked.Select(r => (v.BadgeId, r.SessionId, r.Score)))
            .OrderByDescending(p => p.Score).ThenBy(p => p.BadgeId, StringComparer.Ordinal).ThenBy(p => p.SessionId, StringComparer.Ordinal);
        foreach (var (badge, id, score) in pairs)
        {
            var agenda = agendas[badge];
            if (agenda.Items.Count >= settings.MaxRecommendations) continue;
            var session = sessions[id];
            if (agenda.Items.Any(i => i.Item1 == id
                    || (settings.ResolveOverlappingSessions && TimeClashes.Overlap(sessions[i.Item1], session)))) continue;
            var slot = (session.Theatre, session.Date, session.Start);
            var limit = settings.TheatreCapacity.Enabled && capacity.TryGetValue(session.Theatre, out var seats)
                ? (int)Math.Floor(seats * settings.TheatreCapacity.Multiplier) : int.MaxValue;
            if (taken.GetValueOrDefault(slot) >= limit)
            {
                agenda.Refused.Add(id);
                continue;
            }
            taken[slot] = taken.GetValueOrDefault(slot) + 1;
            agenda.Items.Add((id, score));
        }
        return agendas;
    }

    [Fact]
    public void Twenty_thousand_visitors_with_two_hundred_candidates_each_fill_slots_up_to_their_limits_only()
    {
        // Big enough for several rounds of the assembler's score bands; its speed is measured by `pa bench recommend`, not here.
        var (visitors, sessions, capacity) = RandomShow(seed: 1, visitorCount: 20_000, sessionCount: 300, candidates: 200, tiedScores: false);
        var result = new AgendaAssembler(Settings(max: 10), capacity).Assemble(visitors, sessions);

        var stats = result.Statistics;
        output.WriteLine($"{stats.Assignments} assignments, {stats.CapacityRefusals} capacity refusals, " +
                         $"{stats.BackfilledVisitors} backfilled visitors, {stats.SlotsAtCapacity} slots at capacity");
        Assert.Equal(20_000, result.Agendas.Count);
        Assert.All(result.Agendas, a => Assert.InRange(a.Items.Count, 1, 10));
        Assert.Equal(result.Agendas.Sum(a => a.Items.Count), stats.Assignments);
        Assert.All(stats.Slots!, slot => Assert.True(slot.Limit is null || slot.Assignments <= slot.Limit, $"{slot} over its limit"));
        Assert.True(stats.SlotsAtCapacity > 0 && stats.CapacityRefusals > 0, "the show fills slots");
    }

    /// <summary>Sessions over 3 days x 8 half-day slots x several theatres, with capacities, and random ranked candidates.</summary>
    private static (List<VisitorCandidates>, Dictionary<string, RecommendableSession>, Dictionary<string, int>) RandomShow(
        int seed, int visitorCount, int sessionCount, int candidates, bool tiedScores)
    {
        var random = new Random(seed);
        var theatres = Enumerable.Range(0, 12).Select(t => $"T{t:D2}").ToArray();
        var sessions = new Dictionary<string, RecommendableSession>(StringComparer.Ordinal);
        for (var i = 0; i < sessionCount; i++)
        {
            var start = new TimeOnly(9, 0).AddMinutes(45 * random.Next(10));
            var session = new RecommendableSession($"S{i:D4}", $"Session {i}", ["Stream"],
                Day1.AddDays(random.Next(3)), start, start.AddMinutes(30 + 15 * random.Next(3)), theatres[random.Next(theatres.Length)]);
            sessions.Add(session.SessionId, session);
        }
        // The last two theatres have no capacity configured.
        var capacity = theatres.Take(10).ToDictionary(t => t, _ => 5 + random.Next(visitorCount / 50 + 1));

        var ids = sessions.Keys.ToArray();
        var visitors = new List<VisitorCandidates>(visitorCount);
        for (var v = 0; v < visitorCount; v++)
        {
            var pick = new HashSet<string>(StringComparer.Ordinal);
            while (pick.Count < Math.Min(candidates, ids.Length)) pick.Add(ids[random.Next(ids.Length)]);
            var ranked = pick
                .Select(id => new ScoredSession(id, tiedScores ? Math.Round(0.3 + random.NextDouble() * 0.7, 1) : 0.3 + random.NextDouble() * 0.7))
                .OrderByDescending(s => s.Score).ThenBy(s => s.SessionId, StringComparer.Ordinal)
                .ToList();
            visitors.Add(new VisitorCandidates($"BADGE{v:D6}", NoProps, ranked));
        }
        return (visitors, sessions, capacity);
    }
}
