using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps;

/// <summary>
/// Deterministic artifact folders, runs/&lt;event&gt;/&lt;runId&gt;/&lt;step&gt;/, so a retried activity overwrites its own outputs.
/// </summary>
internal static class RunFolders
{
    public static ArtifactPath StepFolder(string eventName, string runId, string step)
    {
        if (!ArtifactPath.TryParse(runId, out _, out var problem) || runId.Contains('/'))
            throw new PipelineInputException("run id", $"'{runId}' cannot name a run folder: {(runId.Contains('/') ? "it contains '/'" : problem)}");
        return ArtifactPath.Parse($"runs/{eventName}/{runId}/{step}");
    }
}
