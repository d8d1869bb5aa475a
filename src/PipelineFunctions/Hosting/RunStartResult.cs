using PipelineFunctions.Core;

namespace PipelineFunctions.Hosting;

/// <summary>The outcome of a start: the instance id (null when the request was invalid) and, when refused, why.</summary>
public sealed record RunStartResult(RunStartStatus Status, string? InstanceId, PipelineInputException? Problem = null);
