namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>The three activities of a fanned-out step: plan, part (many, in parallel) and fan-in.</summary>
public sealed record FanOutActivityNames(string Begin, string Part, string Finish);
