using System.Text.Json;

namespace PipelineFunctions.Core.Orchestration.Submissions;

/// <summary>
/// Reads a request body into a <see cref="RunSubmission"/>, strictly: it must be one JSON object (nested at most
/// <see cref="MaxDepth"/> deep) whose fields are <see cref="RunSubmission"/>'s, each once and of its JSON type. Unknown
/// fields are refused so a misspelt option ("retrian") is an error rather than silently ignored. Every refusal is a
/// <see cref="PipelineInputException"/> from <see cref="RequestErrors"/>, on the field at fault or on "body".
/// The values themselves are checked by <see cref="RunSubmissionValidation"/>.
/// </summary>
public static class RunSubmissionReader
{
    public const string BodyField = "body";

    public const int MaxDepth = 8;

    private const string Expected = "a JSON object is required: {\"input\": \"<folder under the inputs root>\", ...}";

    private const string Types = "input, graphEnvironment, instanceId: string; incremental, force, retrain: boolean; steps: list of strings; " +
        "parameters: object of strings, numbers and booleans";

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { MaxDepth = MaxDepth };

    /// <summary>The body's field names, camelCase, in <see cref="RunSubmission"/>'s order.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        typeof(RunSubmission).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    /// <exception cref="PipelineInputException">The body is not such an object; <see cref="PipelineInputException.Field"/>
    /// names the field at fault, or "body".</exception>
    public static async Task<RunSubmission> ReadAsync(Stream body, CancellationToken cancellationToken = default)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (JsonException e)
        {
            throw RequestErrors.For(BodyField, $"not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}); {Expected}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw RequestErrors.For(BodyField, Expected);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                    throw RequestErrors.For(property.Name, $"unknown field (fields: {string.Join(", ", Fields)})");
                // Names match case-insensitively: "input" and "Input" are the same field, and which one counts must not be a guess.
                if (!seen.Add(property.Name)) throw RequestErrors.For(FieldOf(property.Name), "appears more than once");
            }
            try
            {
                return document.RootElement.Deserialize<RunSubmission>(BodyJson) ?? throw RequestErrors.For(BodyField, Expected);
            }
            catch (JsonException e)
            {
                var field = e.Path is null or "$" ? BodyField : FieldOf(e.Path.TrimStart('$', '.').Split('.', '[')[0]);
                throw RequestErrors.For(field, $"has the wrong JSON type ({Types})");
            }
        }
    }

    /// <summary>The field's own spelling for a name the client may have cased differently.</summary>
    private static string FieldOf(string name) => Fields.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase)) ?? name;
}
