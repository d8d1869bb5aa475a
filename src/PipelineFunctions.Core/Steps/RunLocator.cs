using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps;

/// <summary>
/// Finds the published output of a step in earlier runs: its manifest (the completion marker) in runs/&lt;event&gt;/&lt;runId&gt;/&lt;step&gt;/.
/// </summary>
public static class RunLocator
{
    /// <summary>The manifest URI of a step of the given run, or of the newest run (by manifest time) that completed that step.</summary>
    /// <param name="missingStep">What to tell the user when the run exists but its step did not complete (the default names the step).</param>
    /// <exception cref="PipelineInputException">No such run, a run without that step, or no run that completed it: each its own message.</exception>
    public static async Task<Uri> FindStepManifestAsync(IArtifactStore store, string eventName, string step, string? runId,
        CancellationToken cancellationToken, string? missingStep = null)
    {
        if (runId is not null)
        {
            var path = RunFolders.StepFolder(eventName, runId, step).Combine(ArtifactManifest.FileName);
            if (await store.ExistsAsync(path, cancellationToken)) return store.GetUri(path);
            // A mistyped run id and a run that stopped early need different fixes: say which it is.
            if (!await RunExistsAsync(store, eventName, runId, cancellationToken))
                throw new PipelineInputException("--run-id", $"no run '{runId}' of event '{eventName}' in the store {store.Root}");
            throw new PipelineInputException(store.GetUri(path).ToString(),
                $"run '{runId}' has no completed {step} step in this store{(missingStep is null ? "" : $": {missingStep}")}");
        }

        (DateTimeOffset CreatedAt, Uri Uri)? newest = null;
        var suffix = $"/{step}/{ArtifactManifest.FileName}";
        await foreach (var artifact in store.ListAsync($"runs/{eventName}/", cancellationToken))
        {
            if (!artifact.Path.Value.EndsWith(suffix, StringComparison.Ordinal) || artifact.Path.Value.Count(c => c == '/') != 4) continue;
            var manifest = await ArtifactReader.ReadManifestAsync(store, artifact.Uri, cancellationToken);
            if (newest is null || manifest.CreatedAt > newest.Value.CreatedAt) newest = (manifest.CreatedAt, artifact.Uri);
        }
        return newest?.Uri ?? throw new PipelineInputException(store.Root.ToString(),
            $"no run of event '{eventName}' has completed the {step} step in this store (run it first, or give --store)");
    }

    private static async Task<bool> RunExistsAsync(IArtifactStore store, string eventName, string runId, CancellationToken cancellationToken)
    {
        await foreach (var _ in store.ListAsync($"runs/{eventName}/{runId}/", cancellationToken)) return true;
        return false;
    }

    /// <summary>The run id of a manifest URI in runs/&lt;event&gt;/&lt;runId&gt;/&lt;step&gt;/manifest.json.</summary>
    public static string RunIdOf(IArtifactStore store, Uri manifestUri) =>
        store.TryGetPath(manifestUri, out var path) && path.Value.Split('/') is { Length: 5 } parts
            ? parts[2]
            : throw new PipelineInputException(manifestUri.ToString(),
                "is not a step manifest of a run folder (runs/<event>/<runId>/<step>/manifest.json)");
}
