using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// The checks every host applies to a run request before scheduling it (and the planning activity again): a known
/// event, known steps, a valid graph environment, an input location, and parameters that are real config keys with
/// valid values. Failures are <see cref="PipelineInputException"/>s naming the field.
/// </summary>
public static class RunRequestValidation
{
    public static readonly IReadOnlyList<string> GraphEnvironments = ["dev", "test", "prod"];

    /// <summary>Instance (and run) ids name a run folder: <see cref="RunIds.Problem"/>'s rule, the same on both hosts.</summary>
    /// <exception cref="PipelineInputException">The id breaks the rule (file "request", field "instanceId").</exception>
    public static void ValidateInstanceId(string instanceId) => RunIds.Validate(instanceId);

    public static EventConfig Validate(PipelineRunRequest request, Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
    {
        if (string.IsNullOrWhiteSpace(request.Event) || request.Event.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw new PipelineInputException("request", $"'{request.Event}' is not an event name (letters, digits, '_' and '-' only)",
                field: "event");
        if (string.IsNullOrWhiteSpace(request.Input))
            throw new PipelineInputException("request", "is required: the location of the event's input files", field: "input");
        foreach (var step in request.Steps ?? [])
            if (!PipelineSteps.All.Contains(step))
                throw new PipelineInputException("request", $"unknown step '{step}' (steps: {string.Join(", ", PipelineSteps.All)})", field: "steps");
        if (request.GraphEnvironment is { } environment && !GraphEnvironments.Contains(environment))
            throw new PipelineInputException("request",
                $"'{environment}' is not a graph environment ({string.Join(", ", GraphEnvironments)})", field: "graphEnvironment");
        return loadConfig(request.Event, request.Parameters);
    }
}
