namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>A visitor's final agenda, items in score order, plus human-readable notes on what was done to it.</summary>
internal sealed record Agenda(string BadgeId, IReadOnlyList<AgendaItem> Items, IReadOnlyList<string> Notes);
