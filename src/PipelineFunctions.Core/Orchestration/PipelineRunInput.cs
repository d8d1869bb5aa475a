namespace PipelineFunctions.Core.Orchestration;

/// <summary>The orchestration's input: the request and the run id every artifact path of the run is under.</summary>
public sealed record PipelineRunInput(PipelineRunRequest Request, string RunId);
