using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps;

namespace PipelineFunctions.Core.Orchestration.Reuse;

/// <summary>
/// Step reuse: a step whose fingerprint matches an earlier successful run returns that run's outcome as
/// <c>reused</c> instead of running. The cache is three kinds of artifact in the store:
/// <list type="bullet">
/// <item><c>runs/&lt;event&gt;/&lt;runId&gt;/&lt;step&gt;/outcome.json</c>: the outcome a run recorded for a step;</item>
/// <item><c>reuse/&lt;event&gt;/&lt;step&gt;/&lt;fingerprint&gt;.json</c>: the id of the run whose outputs have that
/// fingerprint;</item>
/// <item><c>reuse/&lt;event&gt;/graph-&lt;environment&gt;/&lt;step&gt;.json</c>: the fingerprint of the graph step whose
/// writes the environment's graph holds now. Graph steps write into one shared graph, so their outputs can only be reused
/// while no other run has written over them.</item>
/// </list>
/// An outcome is reused only while its manifest still has the SHA-256 it recorded.
/// </summary>
internal sealed class StepReuseCache(IArtifactStore store, TimeProvider time)
{
    public const string OutcomeFile = "outcome.json";

    public static ArtifactPath IndexPath(string eventName, string step, string fingerprint) =>
        ArtifactPath.Parse($"reuse/{eventName}/{step}/{fingerprint}.json");

    public static ArtifactPath AppliedPath(string eventName, string environment, string step) =>
        ArtifactPath.Parse($"reuse/{eventName}/graph-{environment}/{step}.json");

    /// <summary>
    /// The earlier outcome with the same fingerprint, when it can be reused and the request does not force a rerun;
    /// otherwise runs the step and records its outcome for later runs.
    /// </summary>
    public async Task<StepOutcome> ReuseOrRunAsync(StepActivityInput input, string eventName, string fingerprint, bool graphStep,
        Func<Task<StepRunResult>> run, CancellationToken cancellationToken)
    {
        if (await TryReuseAsync(input, eventName, fingerprint, graphStep, cancellationToken) is { } earlier) return earlier;
        var startedAt = time.GetUtcNow();
        await PrepareToWriteAsync(input, eventName, graphStep, cancellationToken);
        return await RecordAsync(input, eventName, fingerprint, graphStep, startedAt, await run(), cancellationToken);
    }

    /// <summary>The earlier outcome with the same fingerprint when it can be reused and the request does not force a rerun.</summary>
    public async Task<StepOutcome?> TryReuseAsync(StepActivityInput input, string eventName, string fingerprint, bool graphStep,
        CancellationToken cancellationToken)
    {
        var index = IndexPath(eventName, input.Step, fingerprint);
        var applied = AppliedPath(eventName, input.Plan.Environment, input.Step);
        return input.Plan.Force ? null : await FindAsync(input.Step, eventName, index, applied, fingerprint, graphStep, cancellationToken);
    }

    /// <summary>Before a graph step writes: what it and later steps wrote into this graph is about to change underneath them.</summary>
    public async Task PrepareToWriteAsync(StepActivityInput input, string eventName, bool graphStep, CancellationToken cancellationToken)
    {
        if (!graphStep) return;
        foreach (var later in PipelineSteps.All.SkipWhile(s => s != input.Step))
            await store.DeleteAsync(AppliedPath(eventName, input.Plan.Environment, later), cancellationToken);
    }

    /// <summary>
    /// A fanned-out graph step's plan: the earlier outcome to reuse, or null once the markers its writes are about to
    /// invalidate are gone.
    /// </summary>
    public async Task<StepOutcome?> ReuseOrPrepareAsync(StepActivityInput input, string fingerprint, CancellationToken cancellationToken)
    {
        if (await TryReuseAsync(input, input.Plan.Event, fingerprint, graphStep: true, cancellationToken) is { } reused) return reused;
        await PrepareToWriteAsync(input, input.Plan.Event, graphStep: true, cancellationToken);
        return null;
    }

    /// <summary>A fanned-out graph step's fan-in: records the outcome under the plan's fingerprint and start.</summary>
    public Task<StepOutcome> RecordAsync(FanOut.StepFinishInput input, StepRunResult result, CancellationToken cancellationToken) =>
        RecordAsync(input.Step, input.Step.Plan.Event, input.Plan.Fingerprint, graphStep: true, input.Plan.StartedAt, result, cancellationToken);

    /// <summary>Records what a step that really ran published, for later runs to reuse, and returns its outcome.</summary>
    public async Task<StepOutcome> RecordAsync(StepActivityInput input, string eventName, string fingerprint, bool graphStep,
        DateTimeOffset startedAt, StepRunResult result, CancellationToken cancellationToken)
    {
        var (manifestUri, manifest, metrics) = result;
        var manifestSha256 = await HashOfAsync(manifestUri, cancellationToken);
        var outcome = new StepOutcome(input.Step, StepStatuses.Succeeded, manifestUri, manifestSha256, fingerprint, startedAt, time.GetUtcNow(), null,
            manifest.Inputs.Select(i => new ArtifactReference(i.Name, i.Uri, i.Sha256)).ToList(),
            manifest.Outputs.Select(o => new ArtifactReference(o.Name, o.Uri, o.Sha256)).ToList(),
            metrics)
        { Warnings = result.Warnings, Scores = result.Scores };
        var folder = RunFolders.StepFolder(eventName, input.Plan.RunId, input.Step);
        await store.PutAsync(folder.Combine(OutcomeFile), new MemoryStream(PipelineJson.Serialize(outcome)), cancellationToken);
        await store.PutAsync(IndexPath(eventName, input.Step, fingerprint), new MemoryStream(Encoding.UTF8.GetBytes(input.Plan.RunId)),
            cancellationToken);
        if (graphStep)
            await store.PutAsync(AppliedPath(eventName, input.Plan.Environment, input.Step), new MemoryStream(Encoding.UTF8.GetBytes(fingerprint)),
                cancellationToken);
        return outcome;
    }

    /// <summary>
    /// A step the request left out: the outcome of the newest earlier run that completed it, or, for a manifest published
    /// without an outcome (by `pa prepare` and friends), the manifest itself.
    /// </summary>
    public async Task<StepOutcome> ReuseNewestAsync(string eventName, string step, CancellationToken cancellationToken)
    {
        var manifestUri = await RunLocator.FindStepManifestAsync(store, eventName, step, null, cancellationToken);
        var runId = RunLocator.RunIdOf(store, manifestUri);
        var outcome = await ReadOutcomeAsync(eventName, runId, step, cancellationToken);
        var now = time.GetUtcNow();
        return outcome is not null
            ? outcome with { Status = StepStatuses.Reused, ReusedFromRunId = runId, StartedAt = now, FinishedAt = now }
            : new StepOutcome(step, StepStatuses.Reused, manifestUri, await HashOfAsync(manifestUri, cancellationToken), $"manifest:{manifestUri}",
                now, now, runId, [], [], new Dictionary<string, long>());
    }

    /// <summary>
    /// The outcome with the artifact lists its run recorded for the step (a run summary's message carries none); as
    /// given when the run recorded none (the step failed, or its outputs came from a manifest without an outcome).
    /// </summary>
    public async Task<StepOutcome> ArtifactListsAsync(string eventName, string runId, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var recorded = await ReadOutcomeAsync(eventName, runId, outcome.Step, cancellationToken);
        return recorded is null ? outcome : outcome with { Inputs = recorded.Inputs, Outputs = recorded.Outputs };
    }

    /// <summary>The earlier outcome as reused, or null when there is none, the graph no longer holds it, or its manifest changed.</summary>
    private async Task<StepOutcome?> FindAsync(string step, string eventName, ArtifactPath index, ArtifactPath applied, string fingerprint,
        bool graphStep, CancellationToken cancellationToken)
    {
        if (!await store.ExistsAsync(index, cancellationToken)) return null;
        var earlierRun = (await ReadTextAsync(index, cancellationToken)).Trim();
        var earlier = await ReadOutcomeAsync(eventName, earlierRun, step, cancellationToken);
        var graphHoldsIt = !graphStep
            || (await store.ExistsAsync(applied, cancellationToken) && (await ReadTextAsync(applied, cancellationToken)).Trim() == fingerprint);
        if (earlier is null || !graphHoldsIt || earlier.ManifestUri is not { } uri
            || await HashOfAsync(uri, cancellationToken) != earlier.ManifestSha256)
            return null;
        var now = time.GetUtcNow();
        return earlier with { Status = StepStatuses.Reused, ReusedFromRunId = earlierRun, StartedAt = now, FinishedAt = now };
    }

    private async Task<StepOutcome?> ReadOutcomeAsync(string eventName, string runId, string step, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.TryParse($"runs/{eventName}/{runId}/{step}/{OutcomeFile}", out var path, out _)
            || !await store.ExistsAsync(path, cancellationToken))
            return null;
        return JsonSerializer.Deserialize<StepOutcome>(await ArtifactReader.ReadAllBytesAsync(store, path, cancellationToken), PipelineJson.Options);
    }

    private async Task<string?> HashOfAsync(Uri uri, CancellationToken cancellationToken) =>
        store.TryGetPath(uri, out var path) && await store.ExistsAsync(path, cancellationToken)
            ? await store.GetContentHashAsync(path, cancellationToken)
            : null;

    private async Task<string> ReadTextAsync(ArtifactPath path, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ArtifactReader.ReadAllBytesAsync(store, path, cancellationToken));
}
