using System.Text.Json;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps;

namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// A step that has no finer parts, run through the fan-out's three activities: the plan checks reuse, the one part
/// runs the whole step and notes what it published, the fan-in records the outcome.
/// </summary>
internal sealed class WholeStepAsOnePart(
    IPipelineServices services, bool graphStep, Func<StepActivityInput, CancellationToken, Task<string>> fingerprint,
    Func<StepActivityInput, CancellationToken, Task<StepRunResult>> run) : IFannedOutStep
{
    private const string PartFile = "parts/whole.json";

    public async Task<FanOutPlan> BeginAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var cache = new StepReuseCache(services.Store, services.Time);
        var key = await fingerprint(input, cancellationToken);
        var reused = await cache.TryReuseAsync(input, input.Plan.Event, key, graphStep, cancellationToken);
        if (reused is null) await cache.PrepareToWriteAsync(input, input.Plan.Event, graphStep, cancellationToken);
        return new FanOutPlan(input.Step, key, services.Time.GetUtcNow(), reused, reused is null ? [1] : [], "parts", 1);
    }

    public async Task<StepPartResult> RunPartAsync(StepPartInput input, CancellationToken cancellationToken)
    {
        var result = await run(input.Step, cancellationToken);
        var note = new PartNote(result.ManifestUri, result.Metrics);
        await services.Store.PutAsync(PartPath(input.Step), new MemoryStream(PipelineJson.Serialize(note)), cancellationToken);
        return new StepPartResult(input.Wave, input.Index, false, new Dictionary<string, long>());
    }

    public async Task<StepOutcome> FinishAsync(StepFinishInput input, CancellationToken cancellationToken)
    {
        PartNote note;
        await using (var stream = await services.Store.OpenReadAsync(PartPath(input.Step), cancellationToken))
            note = (await JsonSerializer.DeserializeAsync<PartNote>(stream, PipelineJson.Options, cancellationToken))!;
        var manifest = await ArtifactReader.ReadManifestAsync(services.Store, note.ManifestUri, cancellationToken);
        var cache = new StepReuseCache(services.Store, services.Time);
        return await cache.RecordAsync(input.Step, input.Step.Plan.Event, input.Plan.Fingerprint, graphStep, input.Plan.StartedAt,
            new StepRunResult(note.ManifestUri, manifest, note.Metrics), cancellationToken);
    }

    private static ArtifactPath PartPath(StepActivityInput input) =>
        RunFolders.StepFolder(input.Plan.Event, input.Plan.RunId, input.Step).Combine(PartFile.Split('/'));

    private sealed record PartNote(Uri ManifestUri, IReadOnlyDictionary<string, long> Metrics);
}
