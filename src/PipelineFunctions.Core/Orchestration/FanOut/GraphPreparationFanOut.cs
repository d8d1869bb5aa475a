using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// Step 2 as activities: <c>BeginGraphPreparation</c> (fingerprint, reuse, schema), one <c>RunGraphProcessor</c> per
/// processor in two waves, <c>FinishGraphPreparation</c> (counts, manifest, outcome). The work is
/// <see cref="GraphPreparationStep"/>'s, the same plan, parts and fan-in `pa graph` runs in one process.
/// </summary>
internal sealed class GraphPreparationFanOut(IPipelineServices services) : IFannedOutStep
{
    public async Task<FanOutPlan> BeginAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var cache = new StepReuseCache(services.Store, services.Time);
        var fingerprint = StepFingerprint.Of(input, DataPreparation(input).Fingerprint, input.Plan.Environment,
            input.Plan.Incremental ? "incremental" : "full");
        var startedAt = services.Time.GetUtcNow();
        if (await cache.TryReuseAsync(input, input.Plan.Event, fingerprint, graphStep: true, cancellationToken) is { } reused)
            return new FanOutPlan(input.Step, fingerprint, startedAt, reused, [], Unit, 1);
        await cache.PrepareToWriteAsync(input, input.Plan.Event, graphStep: true, cancellationToken);
        var waves = await Step.BeginAsync(Request(input), cancellationToken);
        return new FanOutPlan(input.Step, fingerprint, startedAt, null, waves, Unit, waves.Max());
    }

    public async Task<StepPartResult> RunPartAsync(StepPartInput input, CancellationToken cancellationToken)
    {
        var (result, reused) = await Step.RunProcessorAsync(Request(input.Step), input.Plan.StartedAt, input.Wave, input.Index, cancellationToken);
        var counts = result.Writes.ToDictionary(w => w.Key, w => w.Value.Created + w.Value.Updated);
        return new StepPartResult(input.Wave, input.Index, reused, counts);
    }

    public async Task<StepOutcome> FinishAsync(StepFinishInput input, CancellationToken cancellationToken)
    {
        var step = input.Step;
        var result = await Step.FinishAsync(Request(step), input.Plan.StartedAt, cancellationToken);
        var metrics = result.Metadata.Graph.Nodes.ToDictionary(n => "nodes:" + n.Key, n => n.Value);
        metrics["relationships"] = result.Metadata.Graph.Relationships.Values.Sum();
        return await new StepReuseCache(services.Store, services.Time).RecordAsync(step, step.Plan.Event, input.Plan.Fingerprint, graphStep: true,
            input.Plan.StartedAt, new StepRunResult(result.ManifestUri, result.Manifest, metrics), cancellationToken);
    }

    private const string Unit = "processors";

    private GraphPreparationStep Step => new(services.Loggers.CreateLogger<GraphPreparationStep>(), services.Time);

    private GraphPreparationRequest Request(StepActivityInput input) =>
        new(services.LoadConfig(input.Plan.Event, input.Run.Request.Parameters), DataPreparation(input).ManifestUri!, services.Store,
            services.Graphs, input.Plan.RunId, input.Plan.Environment, input.Plan.Incremental ? GraphWriteMode.Incremental : GraphWriteMode.Full);

    private static StepOutcome DataPreparation(StepActivityInput input) =>
        input.Previous.SingleOrDefault(o => o.Step == PipelineSteps.DataPreparation)
        ?? throw new InvalidOperationException($"{input.Step} runs after {PipelineSteps.DataPreparation}, which has no outcome");
}
