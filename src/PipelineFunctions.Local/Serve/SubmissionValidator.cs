using System.Globalization;
using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Local.Serve;

/// <summary>
/// Turns an HTTP or scheduled submission into a <see cref="PipelineRunRequest"/>, checked before anything is created:
/// the event must be configured, the input must be a folder under the inputs root, then Core's
/// <see cref="RunRequestValidation"/> checks the instance id, steps, environment and parameters. Every failure is a
/// <see cref="PipelineInputException"/> whose <see cref="PipelineInputException.Field"/> names the request field and
/// whose <see cref="PipelineInputException.Problem"/> carries no server path.
/// </summary>
public sealed class SubmissionValidator(EventCatalog events, InputsRoot inputs, Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
{
    public PipelineRunRequest Validate(string eventName, RunSubmission submission)
    {
        if (!events.Contains(eventName))
        {
            var known = events.Names();
            throw Rejected("event", $"'{Printable(eventName)}' is not a configured event (known: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }
        inputs.FolderOf(submission.Input);
        if (submission.InstanceId is { } id) RunRequestValidation.ValidateInstanceId(id);
        var request = new PipelineRunRequest(eventName, submission.Input!, submission.Incremental, submission.Steps, submission.GraphEnvironment,
            submission.Force, Parameters(submission.Parameters), submission.Retrain);
        try
        {
            RunRequestValidation.Validate(request, loadConfig);
        }
        catch (PipelineInputException e) when (e.File == "request")
        {
            throw;
        }
        catch (PipelineInputException e) when (e.File == "parameters")
        {
            throw Rejected("parameters", $"'{e.Field}' {e.Problem}");
        }
        catch (PipelineInputException e)
        {
            // The config file refused a value: with overrides given, that is the request's doing; without, the file's.
            var where = e.Field is null ? "" : $"'{e.Field}': ";
            throw Rejected(request.Parameters is { Count: > 0 } ? "parameters" : "event", where + StripRoot(e.Problem));
        }
        return request;
    }

    private static Dictionary<string, string>? Parameters(IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        if (parameters is null || parameters.Count == 0) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            result[key] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
                _ => throw Rejected("parameters", $"'{Printable(key)}' must be a string, number or boolean, not {value.ValueKind.ToString().ToLowerInvariant()}"),
            };
        }
        return result;
    }

    private string StripRoot(string message) =>
        message.Replace(events.ConfigRoot.TrimEnd('/') + "/", "", StringComparison.Ordinal);

    private static PipelineInputException Rejected(string field, string problem) => new("request", problem, field: field);

    private static string Printable(string value) => new(value.Take(InputsRoot.MaxLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
