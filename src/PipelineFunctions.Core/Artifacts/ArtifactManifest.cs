using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineFunctions.Core.Artifacts;

/// <summary>
/// What a step consumed and published: the record activities pass between steps (URIs and hashes, never rows).
/// Written last, so its presence means every output it lists is complete.
/// </summary>
public sealed record ArtifactManifest(
    string Step,
    string Event,
    string RunId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ManifestInput> Inputs,
    IReadOnlyList<ManifestOutput> Outputs)
{
    public const string FileName = "manifest.json";

    public ManifestOutput Output(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"manifest of step {Step} has no output '{name}'");
}

public sealed record ManifestInput(string Name, Uri Uri, string Sha256, long Bytes);

/// <param name="Rows">Data rows for tables; null for documents.</param>
public sealed record ManifestOutput(string Name, Uri Uri, string Sha256, long Bytes, long? Rows);

/// <summary>JSON conventions for every document the pipeline writes: camelCase, indented, no nulls dropped silently.</summary>
public static class PipelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
