namespace PipelineFunctions.Core.Reporting;

/// <summary>Visitors whose source sessions one generation strategy chose, with and without an agenda in the end.</summary>
public sealed record StrategyCount(string Strategy, long WithAgenda, long WithoutAgenda);
