using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Core.Reporting;

/// <summary>
/// The figures behind the dashboard's run page, taken from the run's history, summary and step 4's metadata and the
/// event's model registry: the browser only draws them. A list is empty (and <see cref="Notes"/> says why) when the run
/// has nothing to show for it.
/// </summary>
/// <param name="Ranker">What ranked step 4's candidates (learned_ranker:&lt;version&gt; or reference_heuristic); null without step 4.</param>
/// <param name="TheatreSlots">Every theatre slot with demand: sessions assigned against the slot's limit.</param>
public sealed record RunCharts(
    string RunId,
    string Event,
    string RuntimeStatus,
    string? Ranker,
    IReadOnlyList<TimelineBar> Timeline,
    IReadOnlyList<StrategyCount> Strategies,
    IReadOnlyList<AgendaLengthCount> AgendaLengths,
    IReadOnlyList<SlotFill> TheatreSlots,
    IReadOnlyList<ModelEvaluation> Models,
    IReadOnlyList<string> Notes);
