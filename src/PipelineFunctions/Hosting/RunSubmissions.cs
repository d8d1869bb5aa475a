using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The JSON body of <c>POST /api/pipelines/{event}/runs</c>, the same fields as the local host's:
/// <c>{"input": "vet_lva/2026", "incremental": true, "steps": [...], "graphEnvironment": "prod", "force": false,
/// "parameters": {"recommendation.max_recommendations": 8}, "retrain": false, "instanceId": "..."}</c>.
/// </summary>
public sealed record RunSubmission(
    string? Input,
    bool Incremental = false,
    IReadOnlyList<string>? Steps = null,
    string? GraphEnvironment = null,
    bool Force = false,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null,
    bool Retrain = false,
    string? InstanceId = null);

/// <summary>
/// Reads and checks a submission: unknown fields and wrong JSON types are refused, the input must be a folder inside
/// the inputs root, and the request then passes Core's <see cref="RunRequestValidation"/> (event, steps, environment,
/// parameters against the event's config), exactly as the planning activity checks it again. Every refusal is a
/// <see cref="PipelineInputException"/> on file "request" naming the field. No Functions SDK type here: tested offline.
/// </summary>
public static class RunSubmissions
{
    public const int MaxInstanceIdLength = 100;

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    private static readonly string[] Fields =
        typeof(RunSubmission).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    public static async Task<(PipelineRunRequest Request, string? InstanceId)> ReadAsync(string eventName, Stream body,
        Func<string, IReadOnlyDictionary<string, string>?, EventConfig> loadConfig, CancellationToken cancellationToken = default)
    {
        var submission = await ParseAsync(body, cancellationToken);
        if (AzureHostSettings.InputProblem(submission.Input) is { } inputProblem) throw Rejected("input", inputProblem);
        if (submission.InstanceId is { } id && InstanceIdProblem(id) is { } idProblem) throw Rejected("instanceId", idProblem);
        var request = new PipelineRunRequest(eventName, submission.Input!, submission.Incremental, submission.Steps, submission.GraphEnvironment,
            submission.Force, Parameters(submission.Parameters), submission.Retrain);
        try
        {
            RunRequestValidation.Validate(request, loadConfig);
        }
        catch (PipelineInputException e) when (e.File != "request")
        {
            // The event's config refused a value: with overrides given, that is the request's doing; without, the file's.
            // Named by key path, without the app's file system path.
            var where = e.Field is null ? "" : $"'{e.Field}': ";
            throw Rejected(request.Parameters is { Count: > 0 } ? "parameters" : "event", where + e.Problem);
        }
        return (request, submission.InstanceId);
    }

    /// <summary>yyyyMMddTHHmmssZ-xxxxxx, as the local host names runs: sortable, and safe as a folder name and in a URL.</summary>
    public static string NewRunId(TimeProvider time) =>
        time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>Letters, digits, '-', '_' and '.', starting with a letter or digit (it names the run's artifact folder).</summary>
    public static string? InstanceIdProblem(string id)
    {
        if (id.Length is 0 or > MaxInstanceIdLength) return $"must be 1 to {MaxInstanceIdLength} characters";
        if (!char.IsAsciiLetterOrDigit(id[0])) return "must start with a letter or digit";
        if (id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))) return "may hold only letters, digits, '-', '_' and '.'";
        return null;
    }

    private static async Task<RunSubmission> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        const string expected = "a JSON object is required: {\"input\": \"<folder under the inputs container>\", ...}";
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Rejected("body", $"not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}); {expected}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Rejected("body", expected);
            foreach (var property in document.RootElement.EnumerateObject())
                if (!Fields.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                    throw Rejected(property.Name, $"unknown field (fields: {string.Join(", ", Fields)})");
            try
            {
                return document.RootElement.Deserialize<RunSubmission>(BodyJson) ?? throw Rejected("body", expected);
            }
            catch (JsonException e)
            {
                var field = e.Path is null or "$" ? "body" : e.Path.TrimStart('$', '.');
                throw Rejected(field, "has the wrong JSON type (input, graphEnvironment, instanceId: string; incremental, force, retrain: boolean; " +
                    "steps: list of strings; parameters: object)");
            }
        }
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
                JsonValueKind.True or JsonValueKind.False => value.GetBoolean() ? "true" : "false",
                _ => throw Rejected("parameters", $"'{key}' must be a string, number or boolean, not {value.ValueKind.ToString().ToLowerInvariant()}"),
            };
        }
        return result;
    }

    private static PipelineInputException Rejected(string field, string problem) => new("request", problem, field: field);
}
