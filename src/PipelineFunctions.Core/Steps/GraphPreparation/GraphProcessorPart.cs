namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>What one processor of step 2's fan-out leaves for the fan-in (parts/&lt;processor&gt;.json).</summary>
/// <param name="PlanStartedAt">The plan it ran for: a retry of the same plan finds it done, a new plan runs it again.</param>
/// <param name="ReadMs">Time spent reading its step-1 artifacts.</param>
internal sealed record GraphProcessorPart(DateTimeOffset PlanStartedAt, long ReadMs, GraphProcessorResult Result);
