using System.Text.Json.Serialization;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// A request to run the pipeline for an event, as the HTTP API, the timer and `pa run` submit it.
/// </summary>
/// <param name="Event">Event name (config/events/&lt;event&gt;.yaml).</param>
/// <param name="Input">Where the input files are: a folder, file:// or blob location. The HTTP host resolves it under its inputs root.</param>
/// <param name="Incremental">Add only new nodes to the graph and recommend only for visitors without recommendations.</param>
/// <param name="Steps">The steps to run; the others reuse the newest earlier outputs. Null or empty: all four.</param>
/// <param name="GraphEnvironment">dev, test or prod; null takes the config's graph.environment.</param>
/// <param name="Force">Run every requested step even if an earlier run with the same code, inputs and parameters can be reused.</param>
/// <param name="Parameters">Config overrides by key path (e.g. recommendation.max_recommendations: "8"), validated like the config file.</param>
/// <param name="Retrain">After the run, retrain the ranker and promote it if better (the weekly schedule sets it).</param>
/// <param name="Analyse">After recommendations, analyse the show's outcome: this year's seminar scans in the input (the
/// config's <c>inputs.scans_this_year</c>) against the agendas, treated visitors against the control group.</param>
public sealed record PipelineRunRequest(
    string Event,
    string Input,
    bool Incremental = false,
    IReadOnlyList<string>? Steps = null,
    string? GraphEnvironment = null,
    bool Force = false,
    IReadOnlyDictionary<string, string>? Parameters = null,
    bool Retrain = false,
    bool Analyse = false)
{
    [JsonIgnore]
    public IReadOnlyList<string> StepsToRun => Steps is { Count: > 0 } ? PipelineSteps.All.Where(Steps.Contains).ToList() : PipelineSteps.All;
}
