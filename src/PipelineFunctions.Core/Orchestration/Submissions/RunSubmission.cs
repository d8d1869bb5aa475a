using System.Text.Json;

namespace PipelineFunctions.Core.Orchestration.Submissions;

/// <summary>
/// The JSON body of <c>POST /api/pipelines/{event}/runs</c> on both hosts:
/// <c>{"input": "vet_lva/2026", "incremental": true, "steps": [...], "graphEnvironment": "prod", "force": false,
/// "parameters": {"recommendation.max_recommendations": 8}, "retrain": false, "analyse": false, "instanceId": "..."}</c>.
/// <see cref="Input"/> is a folder name relative to the host's inputs root (see <see cref="InputNames"/>). Parameter values
/// may be JSON strings, numbers or booleans: config overrides are text in the end (see
/// <see cref="RunSubmissionValidation.Parameters"/>). Read it with <see cref="RunSubmissionReader"/>.
/// </summary>
public sealed record RunSubmission(
    string? Input,
    bool Incremental = false,
    IReadOnlyList<string>? Steps = null,
    string? GraphEnvironment = null,
    bool Force = false,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null,
    bool Retrain = false,
    bool Analyse = false,
    string? InstanceId = null);
