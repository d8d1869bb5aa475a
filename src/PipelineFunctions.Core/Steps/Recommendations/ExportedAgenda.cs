namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>One visitor's agenda with what the exports say about it.</summary>
/// <param name="Reasons">Each item's reason, in the agenda's order; null when none were found (exported as empty).</param>
internal sealed record ExportedAgenda(Agenda Agenda, IReadOnlyDictionary<string, string> Visitor, string Strategy,
    IReadOnlyList<string>? Reasons = null);
