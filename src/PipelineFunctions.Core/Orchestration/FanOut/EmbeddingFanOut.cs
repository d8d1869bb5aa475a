using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps.Embeddings;

namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// Step 3 as activities: <c>BeginEmbeddings</c> (fingerprint, reuse, the stale sessions in batches, the model chosen),
/// one <c>EmbedSessionBatch</c> per batch with at most <c>embeddings.max_batches_in_flight</c> at once, and
/// <c>FinishEmbeddings</c> (counts, manifest, outcome). The work is <see cref="EmbeddingStep"/>'s, the same plan, batches
/// and fan-in `pa embed` runs in one process. No stale session: no batch, straight to the fan-in.
/// </summary>
internal sealed class EmbeddingFanOut(IPipelineServices services) : IFannedOutStep
{
    public async Task<FanOutPlan> BeginAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var fingerprint = StepFingerprint.Of(input, input.PreviousOutcome(PipelineSteps.GraphPreparation).Fingerprint, input.Plan.Environment);
        var startedAt = services.Time.GetUtcNow();
        var request = Request(input);
        var maxInFlight = request.Config.Embeddings.MaxBatchesInFlight;
        if (await new StepReuseCache(services.Store, services.Time).ReuseOrPrepareAsync(input, fingerprint, cancellationToken) is { } reused)
            return new FanOutPlan(input.Step, fingerprint, startedAt, reused, [], Unit, maxInFlight);
        var plan = await Step.BeginAsync(request, startedAt, cancellationToken);
        return new FanOutPlan(input.Step, fingerprint, startedAt, null, [plan.Batches], Unit, maxInFlight);
    }

    public async Task<StepPartResult> RunPartAsync(StepPartInput input, CancellationToken cancellationToken)
    {
        var (result, reused) = await Step.EmbedBatchAsync(Request(input.Step), input.Index, cancellationToken);
        return new StepPartResult(input.Wave, input.Index, reused,
            new Dictionary<string, long> { ["embedded"] = result.Embedded, ["vectors_stored"] = result.VectorsStored });
    }

    public async Task<StepOutcome> FinishAsync(StepFinishInput input, CancellationToken cancellationToken)
    {
        var step = input.Step;
        var result = await Step.FinishAsync(Request(step), cancellationToken);
        return await new StepReuseCache(services.Store, services.Time).RecordAsync(input,
            new StepRunResult(result.ManifestUri, result.Manifest, result.Metadata.Counts), cancellationToken);
    }

    private const string Unit = "batches";

    private EmbeddingStep Step => new(services.Loggers.CreateLogger<EmbeddingStep>(), services.Time);

    private EmbeddingRequest Request(StepActivityInput input) =>
        new(services.LoadConfig(input.Plan.Event, input.Run.Request.Parameters), services.Store, services.Graphs, services.Embedders,
            input.Plan.RunId, input.Plan.Environment);
}
