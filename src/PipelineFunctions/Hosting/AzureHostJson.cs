using System.Text.Json;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Hosting;

/// <summary>
/// The app's JSON conventions for orchestration inputs and outputs, activity messages, custom status and HTTP bodies:
/// the pipeline's own (camelCase, snake_case enums), unindented. Program.cs gives them to the worker's serializer, which
/// the Durable extension uses for its payloads; the real-engine tests use them through a DataConverter.
/// </summary>
internal static class AzureHostJson
{
    public static JsonSerializerOptions Options { get; } = new(PipelineJson.Options) { WriteIndented = false };
}
