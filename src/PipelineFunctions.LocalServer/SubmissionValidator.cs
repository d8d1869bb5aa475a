using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Turns an HTTP or scheduled submission into a <see cref="PipelineRunRequest"/>, checked before anything is created.
/// The rules are Core's (<see cref="RunSubmissionValidation"/>, the same in the Azure host); this adds what is the local
/// host's own: the event must be one of the config files under the config root, and the input must be an existing
/// folder under the inputs root. Every failure is a <see cref="PipelineInputException"/> whose
/// <see cref="PipelineInputException.Field"/> names the request field and whose problem carries no server path.
/// </summary>
internal sealed class SubmissionValidator(
    EventCatalog events, InputsRoot inputs, Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
{
    /// <summary>An HTTP submission for the event.</summary>
    public PipelineRunRequest Validate(string eventName, RunSubmission submission)
    {
        CheckLocal(eventName, submission.Input);
        return RunSubmissionValidation.ToRequest(eventName, submission, loadConfig);
    }

    /// <summary>A request the host builds itself (the weekly run): the same checks.</summary>
    public PipelineRunRequest Validate(PipelineRunRequest request)
    {
        CheckLocal(request.Event, request.Input);
        return RunSubmissionValidation.Validate(request, loadConfig);
    }

    private void CheckLocal(string eventName, string? input)
    {
        if (!events.Contains(eventName))
        {
            var known = events.Names();
            throw RequestErrors.For(RunSubmissionValidation.EventField,
                $"{RequestErrors.Quote(eventName)} is not a configured event (known: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }
        inputs.FolderOf(input);
    }
}
