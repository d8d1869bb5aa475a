namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>How full one theatre got over the slots (date, start time) that had any demand.</summary>
/// <param name="Capacity">The theatre's seats, or null when it has none configured (unlimited).</param>
/// <param name="SlotLimit">floor(capacity x multiplier), or null when unlimited.</param>
/// <param name="AverageFill">Assignments / (Slots x SlotLimit), or null when unlimited.</param>
public sealed record TheatreFill(
    string Theatre,
    int? Capacity,
    int? SlotLimit,
    int Slots,
    int Assignments,
    int SlotsAtCapacity,
    int CapacityRefusals,
    int PeakSlotAssignments,
    double? AverageFill);
