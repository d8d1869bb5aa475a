using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineFunctions.Core.Artifacts;

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
