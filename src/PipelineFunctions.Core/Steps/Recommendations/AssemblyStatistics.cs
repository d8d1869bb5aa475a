namespace PipelineFunctions.Core.Steps.Recommendations;

/// <param name="CapacityRefusals">Pairs refused only because their slot was full.</param>
/// <param name="BackfilledVisitors">Visitors who received at least one session ranked below one refused for capacity.</param>
/// <param name="SlotsAtCapacity">Limited slots whose assignments reached the limit.</param>
public sealed record AssemblyStatistics(
    int Visitors,
    int VisitorsWithRecommendations,
    int Assignments,
    int CapacityRefusals,
    int BackfilledVisitors,
    int SlotsAtCapacity,
    IReadOnlyList<TheatreFill> Theatres);
