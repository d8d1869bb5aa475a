using System.Text.Json;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Orchestration.Submissions;

/// <summary>
/// Turns a submission for an event into a <see cref="PipelineRunRequest"/> checked before anything is created, the
/// same on both hosts: the input obeys <see cref="InputNames"/>, the instance id <see cref="RunIds"/>, parameters are
/// flattened to config overrides, and the request passes <see cref="RunRequestValidation"/> (event, steps, graph
/// environment, and the event's config loaded with the overrides). Every failure is a
/// <see cref="PipelineInputException"/> from <see cref="RequestErrors"/> naming the request field; a config error
/// names the key path and the problem, never a path of the host's (its file, folder or URL).
/// A host adds only what is its own: e.g. the local host's check that the input folder exists.
/// </summary>
public static class RunSubmissionValidation
{
    public const string ParametersField = "parameters", EventField = "event";

    /// <summary>The submission as a validated request; its instance id (when given) is checked but not part of the request.</summary>
    /// <param name="loadConfig">The host's event config loader: (event, overrides) to the bound and checked config.</param>
    /// <exception cref="PipelineInputException">On file "request", naming the field.</exception>
    public static PipelineRunRequest ToRequest(string eventName, RunSubmission submission,
        Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
    {
        InputNames.Validate(submission.Input);
        if (submission.InstanceId is not null) RunIds.Validate(submission.InstanceId);
        var request = new PipelineRunRequest(eventName, submission.Input!, submission.Incremental, submission.Steps, submission.GraphEnvironment,
            submission.Force, Parameters(submission.Parameters), submission.Retrain, submission.Analyse);
        return Validate(request, loadConfig);
    }

    /// <summary>
    /// The checks of <see cref="ToRequest"/> for a request a host builds itself, e.g. <see cref="WeeklyRun.Request"/>:
    /// the input name rule, then <see cref="RunRequestValidation.Validate"/> with config errors reported on the request.
    /// </summary>
    /// <returns>The same request.</returns>
    /// <exception cref="PipelineInputException">On file "request", naming the field.</exception>
    public static PipelineRunRequest Validate(PipelineRunRequest request, Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
    {
        InputNames.Validate(request.Input);
        try
        {
            RunRequestValidation.Validate(request, loadConfig);
        }
        catch (PipelineInputException e) when (e.File == RequestErrors.File)
        {
            throw;
        }
        catch (PipelineInputException e)
        {
            throw ConfigError(e, request, loadConfig);
        }
        return request;
    }

    /// <summary>
    /// Parameter values as config override text: strings as they are, numbers as their JSON text (so 0.10 stays 0.10),
    /// booleans as true / false. Null when there are none.
    /// </summary>
    /// <exception cref="PipelineInputException">A value is null, an object or a list (field "parameters").</exception>
    public static IReadOnlyDictionary<string, string>? Parameters(IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        if (parameters is null || parameters.Count == 0) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            result[key] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw RequestErrors.For(ParametersField,
                    $"{RequestErrors.Quote(key)} must be a string, number or boolean, not {value.ValueKind.ToString().ToLowerInvariant()}"),
            };
        }
        return result;
    }

    /// <summary>
    /// A config loader's refusal as a refusal of the request. An override the loader refuses by itself (not a key path,
    /// not a single value) is the parameters' fault. Any other refusal (unknown key, wrong type, out of range, file
    /// missing or broken) is the parameters' fault when overrides were given and the config loads without them, and
    /// the event's otherwise. The message names the key path and the problem; the file's location is left out.
    /// </summary>
    private static PipelineInputException ConfigError(PipelineInputException e, PipelineRunRequest request,
        Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
    {
        if (e.File == ParametersField)
            return RequestErrors.For(ParametersField, $"{RequestErrors.Quote(e.Field)} {WithoutLocation(e.Problem, e.File)}");
        var field = request.Parameters is { Count: > 0 } && LoadsWithoutOverrides(request.Event, loadConfig) ? ParametersField : EventField;
        var where = e.Field is null ? "" : $"{RequestErrors.Quote(e.Field)}: ";
        return RequestErrors.For(field, where + WithoutLocation(e.Problem, e.File));
    }

    private static bool LoadsWithoutOverrides(string eventName, Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig)
    {
        try
        {
            loadConfig(eventName, null);
            return true;
        }
        catch (PipelineInputException)
        {
            return false;
        }
    }

    /// <summary>
    /// The problem without the config file's location: the file's full path (or URL) becomes its bare name and its folder
    /// goes (a read error's message quotes them). Nothing else of the host's file system is in a loader's problems.
    /// </summary>
    internal static string WithoutLocation(string problem, string file)
    {
        var bare = file.Split('?')[0];
        var cut = bare.LastIndexOfAny(['/', '\\']);
        if (cut <= 0) return problem;
        var name = bare[(cut + 1)..];
        return problem.Replace(file, name, StringComparison.Ordinal).Replace(bare, name, StringComparison.Ordinal)
            .Replace(bare[..(cut + 1)], "", StringComparison.Ordinal);
    }
}
