namespace PipelineFunctions.Core.Steps.Recommendations;

/// <param name="CapacityRefusals">Pairs refused only because their slot was full.</param>
/// <param name="BackfilledVisitors">Visitors who received at least one session ranked below one refused for capacity.</param>
/// <param name="SlotsAtCapacity">Limited slots whose assignments reached the limit.</param>
/// <param name="Slots">Every slot with demand, by theatre, date and start; null in metadata written before it was kept.</param>
/// <param name="AgendaLengths">Visitors by the number of sessions in their agenda (index 0: none); null in metadata written
/// before it was kept.</param>
public sealed record AssemblyStatistics(
    int Visitors,
    int VisitorsWithRecommendations,
    int Assignments,
    int CapacityRefusals,
    int BackfilledVisitors,
    int SlotsAtCapacity,
    IReadOnlyList<TheatreFill> Theatres,
    IReadOnlyList<SlotFill>? Slots = null,
    IReadOnlyList<long>? AgendaLengths = null);
