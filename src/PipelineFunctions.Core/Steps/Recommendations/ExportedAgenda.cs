namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>One visitor's agenda with what the exports say about it.</summary>
internal sealed record ExportedAgenda(Agenda Agenda, IReadOnlyDictionary<string, string> Visitor, string Strategy);
