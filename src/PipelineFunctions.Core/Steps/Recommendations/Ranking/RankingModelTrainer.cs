using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// Retraining: train a candidate on the event's data, evaluate it and the current model on the same holdout, store
/// the candidate, and promote it only if it beats the current model by the configured relative margin. Otherwise
/// the current model stays (the rollback) and the decision with both scores is recorded. With no usable current
/// model the candidate must beat the reference heuristic, which step 4 would otherwise use.
/// </summary>
public sealed class RankingModelTrainer(TimeProvider time)
{
    public sealed record Outcome(RankingModelInfo Candidate, EvaluationReport Evaluation, PromotionDecision Decision);

    public async Task<Outcome> TrainAsync(EventConfig config, RankingDataset data, RankingModelRegistry registry, CancellationToken cancellationToken)
    {
        RegisteredRanker? current = null;
        string? unusable = null;
        try
        {
            current = await registry.LoadCurrentAsync(cancellationToken);
            if (current is not null && current.Info.FeatureSchema != RankingFeatures.SchemaVersion)
                (unusable, current) = ($"the current model {current.Info.Version} " +
                    $"uses features {current.Info.FeatureSchema}, not {RankingFeatures.SchemaVersion}", null);
        }
        catch (PipelineInputException e)
        {
            unusable = $"the current model could not be loaded ({e.Message})";
        }

        var experiment = RankingExperiment.Run(config, data, current?.Model, cancellationToken);
        var createdAt = time.GetUtcNow();
        var version = $"{createdAt:yyyyMMdd'T'HHmmss'Z'}-{data.DataHash[..8]}";
        // Versions are never overwritten: a second training on the same data in the same second gets a suffix.
        for (var n = 2; await registry.InfoAsync(version,
            cancellationToken) is not null; n++) version = $"{createdAt:yyyyMMdd'T'HHmmss'Z'}-{data.DataHash[..8]}-{n}";
        var candidateMetrics = experiment.Report.Methods[RankingMethods.LearnedRanker];
        var info = new RankingModelInfo(version, config.Event.Name, createdAt, RankingFeatures.SchemaVersion, RankingFeatures.Names,
            data.EmbeddingModel, data.DataHash, CodeVersion.Current,
            config.Recommendation.Ranking, experiment.Report.TrainingExamples, candidateMetrics);
        await registry.SaveAsync(info, experiment.Candidate, experiment.Report, cancellationToken);

        // The model to beat is the one step 4 would otherwise use: the current model, or with none the reference heuristic.
        var margin = config.Recommendation.Ranking.PromotionMargin;
        var (baselineName, baseline) = current is not null
            ? ($"the current model {current.Info.Version}", experiment.Report.Methods[RankingMethods.CurrentModel].NdcgAt10)
            : ("the reference heuristic", experiment.Report.Methods[RankingMethods.ReferenceHeuristic].NdcgAt10);
        var promoted = candidateMetrics.NdcgAt10 > 0 && candidateMetrics.NdcgAt10 >= baseline * (1 + margin);
        var reason = (promoted
            ? $"NDCG@10 {candidateMetrics.NdcgAt10:0.0000} beats {baselineName} ({baseline:0.0000}) by at least {margin:P1}"
            : $"NDCG@10 {candidateMetrics.NdcgAt10:0.0000} does not beat {baselineName} ({baseline:0.0000}) by {margin:P1}; " +
              (current is null ? "step 4 keeps the reference heuristic" : "the current model stays"))
            + (unusable is null ? "" : $" ({unusable})");
        var currentNdcg = current is null ? (double?)null : baseline;
        var degradationMargin = config.Recommendation.Ranking.DegradationMargin;
        var decision = new PromotionDecision(version, current?.Info.Version, candidateMetrics.NdcgAt10, currentNdcg,
            experiment.Report.Methods[RankingMethods.ReferenceHeuristic].NdcgAt10, margin, promoted, reason, time.GetUtcNow())
        {
            CandidateHoldout = candidateMetrics,
            CurrentHoldout = current is null ? null : experiment.Report.Methods[RankingMethods.CurrentModel],
            HeuristicHoldout = experiment.Report.Methods[RankingMethods.ReferenceHeuristic],
            DataHash = data.DataHash,
            HoldoutVisitors = experiment.Report.HoldoutVisitors,
            CurrentRegisteredNdcgAt10 = current?.Info.Holdout.NdcgAt10,
            DegradationMargin = degradationMargin,
            Degradation = current is null ? null : Degradation(current.Info, baseline, degradationMargin),
        };
        await registry.RecordDecisionAsync(decision, cancellationToken);
        if (promoted) await registry.PromoteAsync(version, decision.DecidedAt, cancellationToken);
        return new Outcome(info, experiment.Report, decision);
    }

    /// <summary>
    /// The warning when the current model's NDCG@10 on the newest holdout fell more than the margin (relative) below its score at
    /// registration; null when it did not.
    /// </summary>
    public static string? Degradation(RankingModelInfo current, double newestNdcgAt10, double margin)
    {
        var registered = current.Holdout.NdcgAt10;
        if (registered <= 0 || newestNdcgAt10 >= registered * (1 - margin)) return null;
        var drop = 1 - newestNdcgAt10 / registered;
        return FormattableString.Invariant(
            $"model degradation: the current model {current.Version} scores NDCG@10 {newestNdcgAt10:0.0000} on the newest data, ") +
            FormattableString.Invariant($"{drop:P1} below its {registered:0.0000} at registration (margin {margin:P0})");
    }
}
