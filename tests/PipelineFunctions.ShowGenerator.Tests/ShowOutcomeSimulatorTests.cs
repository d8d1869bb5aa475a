using PipelineFunctions.Core;
using PipelineFunctions.Core.Steps.Analysis;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>The outcome simulation on its own: deterministic per seed, plausible attendance, the planted uplift where it belongs.</summary>
public sealed class ShowOutcomeSimulatorTests
{
    private static readonly List<OutcomeSession> Sessions = Enumerable.Range(1, 40)
        .Select(i => new OutcomeSession($"S{i:D3}", $"Session {i}", new DateOnly(2025, 11, 20 + i % 2), new TimeOnly(9 + i % 8, 0),
            new TimeOnly(9 + i % 8, 45)))
        .ToList();

    /// <summary>Agendas of 6 sessions in distinct hours; every tenth visitor is in the control group.</summary>
    private static ExportedGroups Groups()
    {
        var agendas = Enumerable.Range(0, 2000).Select(v => new AnalysedAgenda($"B{v:D5}", "new_similar_visitors", v % 3 == 0,
            Enumerable.Range(0, 6).Select(k => Sessions[(v + k * 8 + k) % 40].SessionId).Distinct().ToList())).ToList();
        return new ExportedGroups(agendas.Where((_, i) => i % 10 != 0).ToList(), agendas.Where((_, i) => i % 10 == 0).ToList());
    }

    private static double RecommendedAttendedShare(IEnumerable<AnalysedAgenda> agendas, IReadOnlyList<SeminarScan> scans,
        IReadOnlyList<ScanReferenceRow> reference)
    {
        var titles = reference.ToDictionary(r => r.ShortName, r => r.SeminarName);
        var ids = Sessions.ToDictionary(s => s.Title, s => s.SessionId);
        var attended = scans.GroupBy(s => s.BadgeId).ToDictionary(g => g.Key, g => g.Select(s => ids[titles[s.ShortName]]).ToHashSet());
        var list = agendas.ToList();
        return list.Sum(a => a.SessionIds.Count(id => attended.TryGetValue(a.BadgeId, out var set) && set.Contains(id)))
               / (double)list.Sum(a => a.SessionIds.Count);
    }

    [Fact]
    public void The_same_seed_gives_the_same_scans_and_another_seed_other_scans()
    {
        var groups = Groups();
        var (first, reference) = ShowOutcomeSimulator.Simulate(groups, Sessions, new OutcomeOptions(0.1, 3));
        Assert.Equal(first, ShowOutcomeSimulator.Simulate(groups, Sessions, new OutcomeOptions(0.1, 3)).Scans);
        Assert.NotEqual(first, ShowOutcomeSimulator.Simulate(groups, Sessions, new OutcomeOptions(0.1, 4)).Scans);
        Assert.Equal(Sessions.Count, reference.Count);
    }

    [Fact]
    public void The_control_group_attends_some_recommended_sessions_and_treated_visitors_the_planted_uplift_more()
    {
        var groups = Groups();
        var (scans, reference) = ShowOutcomeSimulator.Simulate(groups, Sessions, new OutcomeOptions(0.2, 1));
        var control = RecommendedAttendedShare(groups.Control, scans, reference);
        var treated = RecommendedAttendedShare(groups.Treatment, scans, reference);
        Assert.InRange(control, 0.1, ShowOutcomeSimulator.MaxBaseProbability);
        Assert.InRange(treated - control, 0.15, 0.25);

        var (noUplift, noUpliftReference) = ShowOutcomeSimulator.Simulate(groups, Sessions, new OutcomeOptions(0, 1));
        Assert.InRange(RecommendedAttendedShare(groups.Treatment, noUplift, noUpliftReference)
                       - RecommendedAttendedShare(groups.Control, noUplift, noUpliftReference), -0.05, 0.05);
        // Some scans are of badges nobody registered, as at a real show.
        Assert.Contains(scans, s => !s.BadgeId.StartsWith('B'));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void An_uplift_that_cannot_be_planted_is_refused(double uplift)
    {
        var error = Assert.Throws<PipelineInputException>(() => ShowOutcomeSimulator.Simulate(Groups(), Sessions, new OutcomeOptions(uplift, 1)));
        Assert.Equal("--uplift", error.File);
    }
}
