namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>One theatre slot (date, start time) that had any demand: what step 4 assigned to it against its limit.</summary>
/// <param name="Limit">floor(capacity x multiplier), or null when the theatre is unlimited.</param>
/// <param name="CapacityRefusals">Pairs refused only because this slot was full.</param>
public sealed record SlotFill(string Theatre, DateOnly Date, TimeOnly Start, int? Limit, int Assignments, int CapacityRefusals);
