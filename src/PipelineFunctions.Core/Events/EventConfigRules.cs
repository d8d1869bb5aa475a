namespace PipelineFunctions.Core.Events;

/// <summary>Checks that types alone cannot express: ranges, non-empty lists, allowed words.</summary>
internal static class EventConfigRules
{
    private static readonly string[] GraphEnvironments = ["dev", "test", "prod"];

    /// <param name="lineOf">Line of a key path in the file (the loader's record), so the message can name it; null for a config built in
    /// code.</param>
    public static void Check(EventConfig config, string sourceName, Func<string, long?>? lineOf = null)
    {
        void Require(bool ok, string keyPath, string problem)
        {
            if (ok) return;
            var line = lineOf?.Invoke(keyPath);
            throw new PipelineInputException(sourceName, line is null ? problem : $"{problem} (line {line})", field: keyPath);
        }

        Require(config.Event.Name.Length > 0, "event.name", "must not be empty (it names storage folders)");
        Require(config.Event.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'), "event.name",
            "use letters, digits, '_' and '-' only (it names storage folders)");
        Require(!string.IsNullOrWhiteSpace(config.Event.MainEventName), "event.main_event_name",
            "must not be empty (it names columns and graph labels)");
        Require(!string.IsNullOrWhiteSpace(config.Event.SecondaryEventName), "event.secondary_event_name",
            "must not be empty (it names columns and graph labels)");
        Require(config.Event.ShowsThisYear.Count > 0, "event.shows_this_year", "list at least one show ref");
        Require(config.Event.EndDate is null || config.Event.EndDate >= config.Event.Date, "event.end_date", "must not be before event.date");
        Require(config.Registration.ValidBadgeTypes.Count > 0, "registration.valid_badge_types", "list at least one badge type");
        Require(!string.Equals(config.Event.MainEventName, config.Event.SecondaryEventName, StringComparison.OrdinalIgnoreCase),
            "event.secondary_event_name", "must differ from event.main_event_name (they name separate columns)");

        Require(config.Registration.DriftThreshold is > 0 and <= 10, "registration.drift_threshold", "must be above 0 and at most 10");
        var inputs = config.Inputs;
        // Whether the scans come with their reference is checked when they are used (the post-show analysis): before the show
        // neither is needed, and a config may name them ahead.
        Require(inputs.ScansThisYear is null || (inputs.ScansThisYear != inputs.ScansPastMain && inputs.ScansThisYear != inputs.ScansPastSecondary),
            "inputs.scans_this_year", "must name another file than last year's scans (inputs.scans_past_main, inputs.scans_past_secondary)");

        var r = config.Recommendation;
        Require(r.MinSimilarityScore is >= 0 and <= 1, "recommendation.min_similarity_score", "must be between 0 and 1");
        foreach (var (generator, threshold) in r.MinSimilarityScoreByGenerator)
        {
            var keyPath = $"recommendation.min_similarity_score_by_generator.{generator}";
            Require(EmbeddingGenerators.All.Contains(generator), keyPath,
                $"names no generator: use one of {string.Join(", ", EmbeddingGenerators.All)}");
            Require(threshold is >= 0 and <= 1, keyPath, "must be between 0 and 1");
        }
        Require(r.MaxRecommendations is >= 1 and <= 200, "recommendation.max_recommendations", "must be between 1 and 200");
        Require(r.SimilarVisitorsCount is >= 1 and <= 100, "recommendation.similar_visitors_count", "must be between 1 and 100");
        Require(r.ShardSize is >= 1 and <= 1_000_000, "recommendation.shard_size", "must be between 1 and 1000000");
        Require(r.SimilarityExponent is >= 1 and <= 10, "recommendation.similarity_exponent", "must be between 1 and 10");
        Require(r.SimilarityAttributes.Count > 0, "recommendation.similarity_attributes", "list at least one attribute");
        foreach (var (attribute, weight) in r.SimilarityAttributes)
            Require(weight is > 0 and <= 10, $"recommendation.similarity_attributes.{attribute}", "weight must be above 0 and at most 10");
        Require(r.TheatreCapacity.Multiplier > 0, "recommendation.theatre_capacity.multiplier", "must be above 0");
        Require(r.ControlGroup.Percentage is >= 0 and <= 50, "recommendation.control_group.percentage", "must be between 0 and 50");
        foreach (var (name, retry) in new[] { ("data_preparation", config.Orchestration.DataPreparation),
            ("graph_preparation", config.Orchestration.GraphPreparation),
                     ("embeddings", config.Orchestration.Embeddings), ("recommendations", config.Orchestration.Recommendations), ("retraining",
                         config.Orchestration.Retraining), ("post_show_analysis", config.Orchestration.PostShowAnalysis) })
        {
            Require(retry.MaxAttempts is >= 1 and <= 20, $"orchestration.{name}.max_attempts", "must be between 1 and 20");
            Require(retry.FirstRetrySeconds is >= 0 and <= 3600, $"orchestration.{name}.first_retry_seconds", "must be between 0 and 3600");
            Require(retry.BackoffCoefficient is >= 1 and <= 10, $"orchestration.{name}.backoff_coefficient", "must be between 1 and 10");
            Require(retry.MaxRetrySeconds >= retry.FirstRetrySeconds, $"orchestration.{name}.max_retry_seconds",
                "must be at least first_retry_seconds");
        }
        Require(r.Ranking.HoldoutShare is > 0 and < 1, "recommendation.ranking.holdout_share", "must be above 0 and below 1");
        Require(r.Ranking.PromotionMargin is >= 0 and <= 1, "recommendation.ranking.promotion_margin", "must be between 0 and 1");
        Require(r.Ranking.DegradationMargin is > 0 and < 1, "recommendation.ranking.degradation_margin", "must be above 0 and below 1");
        Require(r.Ranking.TrainingVisitors >= 10, "recommendation.ranking.training_visitors", "must be at least 10");
        Require(r.Ranking.NegativesPerVisitor >= 2, "recommendation.ranking.negatives_per_visitor", "must be at least 2");
        Require(r.Ranking.Trees is >= 1 and <= 2000, "recommendation.ranking.trees", "must be between 1 and 2000");
        Require(r.Ranking.Leaves is >= 2 and <= 256, "recommendation.ranking.leaves", "must be between 2 and 256");
        Require(r.Ranking.LearningRate is > 0 and <= 1, "recommendation.ranking.learning_rate", "must be above 0 and at most 1");
        Require(r.Ranking.MinExamplesPerLeaf >= 1, "recommendation.ranking.min_examples_per_leaf", "must be at least 1");

        Require(EmbeddingGenerators.All.Contains(config.Embeddings.Generator), "embeddings.generator",
            $"must be one of {string.Join(", ", EmbeddingGenerators.All)}");
        Require(config.Embeddings.Dimensions is >= 8 and <= 4096, "embeddings.dimensions", "must be between 8 and 4096");
        // The model fixes minilm's vectors; a config asking for other dimensions would expect vectors it never gets.
        Require(config.Embeddings.Generator != EmbeddingGenerators.MiniLM || config.Embeddings.Dimensions == EmbeddingGenerators.MiniLMDimensions,
            "embeddings.dimensions", $"minilm's vectors have {EmbeddingGenerators.MiniLMDimensions} dimensions, fixed by the model: "
            + $"set {EmbeddingGenerators.MiniLMDimensions} or leave it out");
        Require(config.Embeddings.BatchSize is >= 1 and <= 2048, "embeddings.batch_size", "must be between 1 and 2048");
        Require(config.Embeddings.MaxBatchesInFlight is >= 1 and <= 64, "embeddings.max_batches_in_flight", "must be between 1 and 64");
        Require(GraphEnvironments.Contains(config.Graph.Environment), "graph.environment", $"must be one of {string.Join(", ", GraphEnvironments)}");
    }
}
