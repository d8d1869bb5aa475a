using System.Text.Json;

namespace PipelineFunctions.Hosting;

/// <summary>
/// Where a run's summary is in a Durable instance: the output of a completed run; for a failed run, the custom status
/// (the orchestrator function puts the failed run's summary there before failing, since Durable keeps no output for a
/// failed instance). No Functions SDK type here: tested offline.
/// </summary>
public static class RunSummaries
{
    /// <summary>The summary JSON as the orchestration wrote it, or null when the instance has none (yet).</summary>
    /// <param name="runtimeStatus">Durable's runtime status name (Completed, Failed, Running, ...).</param>
    public static string? Find(string runtimeStatus, string? serializedOutput, string? serializedCustomStatus) => runtimeStatus switch
    {
        "Completed" when IsSummary(serializedOutput) => serializedOutput,
        "Failed" when IsSummary(serializedCustomStatus) => serializedCustomStatus,
        _ => null,
    };

    /// <summary>A RunSummary has a status and a list of steps (the in-flight RunProgress has a map of steps and no status).</summary>
    public static bool IsSummary(string? json)
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
