using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// Step 2 as activities: <c>BeginGraphPreparation</c> (fingerprint, reuse, schema), one <c>RunGraphProcessor</c> per
/// part (a list of processors) in two waves, <c>FinishGraphPreparation</c> (counts, manifest, outcome). The work is
/// <see cref="GraphPreparationStep"/>'s, the same plan, parts and fan-in `pa graph` runs in one process.
/// </summary>
internal sealed class GraphPreparationFanOut(IPipelineServices services) : IFannedOutStep
{
    public async Task<FanOutPlan> BeginAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var fingerprint = StepFingerprint.Of(input, input.PreviousOutcome(PipelineSteps.DataPreparation).Fingerprint, input.Plan.Environment,
            input.Plan.Incremental ? "incremental" : "full");
        var startedAt = services.Time.GetUtcNow();
        if (await Cache.ReuseOrPrepareAsync(input, fingerprint, cancellationToken) is { } reused)
            return new FanOutPlan(input.Step, fingerprint, startedAt, reused, [], Unit, 1);
        var waves = await Step.BeginAsync(Request(input), cancellationToken);
        return new FanOutPlan(input.Step, fingerprint, startedAt, null, waves, Unit, waves.Max());
    }

    public async Task<StepPartResult> RunPartAsync(StepPartInput input, CancellationToken cancellationToken)
    {
        var (results, reused) = await Step.RunPartAsync(Request(input.Step), input.Plan.StartedAt, input.Wave, input.Index, cancellationToken);
        var counts = results.SelectMany(r => r.Writes).ToDictionary(w => w.Key, w => w.Value.Created + w.Value.Updated);
        return new StepPartResult(input.Wave, input.Index, reused, counts);
    }

    public async Task<StepOutcome> FinishAsync(StepFinishInput input, CancellationToken cancellationToken)
    {
        var step = input.Step;
        var result = await Step.FinishAsync(Request(step), input.Plan.StartedAt, cancellationToken);
        var metrics = result.Metadata.Graph.Nodes.ToDictionary(n => "nodes:" + n.Key, n => n.Value);
        metrics["relationships"] = result.Metadata.Graph.Relationships.Values.Sum();
        return await Cache.RecordAsync(input, new StepRunResult(result.ManifestUri, result.Manifest, metrics), cancellationToken);
    }

    private const string Unit = "processor groups";

    private StepReuseCache Cache => new(services.Store, services.Time);

    private GraphPreparationStep Step => new(services.Loggers.CreateLogger<GraphPreparationStep>(), services.Time);

    private GraphPreparationRequest Request(StepActivityInput input) =>
        new(services.LoadConfig(input.Plan.Event, input.Run.Request.Parameters), input.PreviousOutcome(PipelineSteps.DataPreparation).ManifestUri!,
            services.Store,
            services.Graphs, input.Plan.RunId, input.Plan.Environment, input.Plan.Incremental ? GraphWriteMode.Incremental : GraphWriteMode.Full);
}
