using System.Text.Json;

namespace PipelineFunctions.Local.Serve;

/// <summary>
/// The JSON body of POST /api/pipelines/{event}/runs. <see cref="Input"/> is a folder name relative to the server's
/// inputs root. Parameter values may be JSON strings, numbers or booleans (config overrides are text in the end).
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
