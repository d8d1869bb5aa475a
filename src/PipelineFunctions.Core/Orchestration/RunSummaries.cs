using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// Where a finished run's summary is, in both hosts: a completed run's output; for a failed run, the artifact whose
/// URI its custom status carries (Durable keeps no output for a failed instance, and the summary would not fit the
/// custom status). Status names are Durable's (Completed, Failed, ...).
/// </summary>
public static class RunSummaries
{
    /// <summary>The summary JSON as the orchestration wrote it, or null when the run has none (yet, or it was lost).</summary>
    public static async Task<string?> FindJsonAsync(IArtifactStore store, string runtimeStatus, string? outputJson, string? customStatusJson,
        CancellationToken cancellationToken = default)
    {
        if (runtimeStatus == "Completed") return IsSummary(outputJson) ? outputJson : null;
        if (runtimeStatus != "Failed" || Progress(customStatusJson)?.SummaryUri is not { } uri) return null;
        if (!store.TryGetPath(uri, out var path) || !await store.ExistsAsync(path, cancellationToken)) return null;
        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(cancellationToken);
        return IsSummary(json) ? json : null;
    }

    public static async Task<RunSummary?> FindAsync(IArtifactStore store, string runtimeStatus, string? outputJson, string? customStatusJson,
        CancellationToken cancellationToken = default) =>
        await FindJsonAsync(store, runtimeStatus, outputJson, customStatusJson, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<RunSummary>(json, PipelineJson.Options)
            : null;

    /// <summary>The custom status as the orchestration sets it, or null when it is something else.</summary>
    public static RunProgress? Progress(string? customStatusJson)
    {
        if (string.IsNullOrWhiteSpace(customStatusJson)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunProgress>(customStatusJson, PipelineJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A RunSummary has a status and a list of steps (a RunProgress has a map of steps and no status).</summary>
    private static bool IsSummary(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return false;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                && root.TryGetProperty("steps", out var steps) && steps.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
