using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration.Reuse;
using PipelineFunctions.Core.Steps.Recommendations;
using PipelineFunctions.Core.Steps.Recommendations.Ranking;
using PipelineFunctions.Core.Steps.Recommendations.Sharding;
using PipelineFunctions.Core.Telemetry;

namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>
/// Step 4's three activities: the plan (reuse the step's earlier outcome, else write the scoring context and the
/// visitor shards), one part per shard, and the fan-in that publishes and records the outcome. The work itself is
/// <see cref="RecommendationShards"/>, which `pa recommend` runs in one process.
/// </summary>
internal sealed class RecommendationFanOut(IPipelineServices services) : IFannedOutStep
{
    public async Task<FanOutPlan> BeginAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var key = await FingerprintAsync(input, cancellationToken);
        var startedAt = services.Time.GetUtcNow();
        if (await new StepReuseCache(services.Store, services.Time).ReuseOrPrepareAsync(input, key, cancellationToken) is { } reused)
            return new FanOutPlan(input.Step, key, startedAt, reused, [], "shards", 1);
        var plan = await Shards().PlanAsync(Request(input), cancellationToken);
        return new FanOutPlan(input.Step, key, startedAt, null, [plan.Shards], "shards", Math.Max(1, plan.Shards), plan.ContextSha256);
    }

    public async Task<StepPartResult> RunPartAsync(StepPartInput input, CancellationToken cancellationToken)
    {
        var result = await Shards().ScoreAsync(Request(input.Step), input.Index, Token(input.Plan), cancellationToken);
        return new StepPartResult(input.Wave, input.Index, result.Reused, new Dictionary<string, long> { ["visitors"] = result.Visitors });
    }

    public async Task<StepOutcome> FinishAsync(StepFinishInput input, CancellationToken cancellationToken)
    {
        var result = await Shards().FinishAsync(Request(input.Step), input.Plan.TotalParts, Token(input.Plan), input.Plan.StartedAt, null,
            cancellationToken);
        // Per part of the show, not per run: the run summary keeps only step 4's totals. A retried fan-in counts again.
        foreach (var (strategy, visitors) in result.Metadata.Strategies)
            PipelineDiagnostics.VisitorsByStrategy.Add(visitors, new(PipelineTelemetryNames.Attributes.Event, input.Step.Plan.Event),
                new(PipelineTelemetryNames.Attributes.Strategy, strategy));
        return await new StepReuseCache(services.Store, services.Time).RecordAsync(input,
            new StepRunResult(result.ManifestUri, result.Manifest, result.Metadata.Counts), cancellationToken);
    }

    private async Task<string> FingerprintAsync(StepActivityInput input, CancellationToken cancellationToken)
    {
        var config = Config(input);
        // The ranking model is an input: a newly promoted model makes an earlier run's recommendations stale.
        var model = await new RankingModelRegistry(services.Store, config.Event.Name).CurrentAsync(cancellationToken);
        return StepFingerprint.Of(input, input.PreviousOutcome(PipelineSteps.Embeddings).Fingerprint,
            input.PreviousOutcome(PipelineSteps.DataPreparation).Fingerprint, input.Plan.Environment, input.Plan.Incremental ? "incremental" : "full",
            config.Recommendation.Ranking.UseLearnedModel ? model?.Version ?? "no-model" : "heuristic");
    }

    private RecommendationShards Shards() => new(services.Loggers.CreateLogger<RecommendationStep>(), services.Time);

    private RecommendationRequest Request(StepActivityInput input) =>
        new(Config(input), services.Store, services.Graphs, input.PreviousOutcome(PipelineSteps.DataPreparation).ManifestUri!, input.Plan.RunId,
            input.Plan.Environment, input.Plan.Incremental, input.Plan.Force);

    private static string Token(FanOutPlan plan) =>
        plan.Token ?? throw new InvalidOperationException("step 4's plan carries no scoring context hash");

    private EventConfig Config(StepActivityInput input) => services.LoadConfig(input.Plan.Event, input.Run.Request.Parameters);
}
