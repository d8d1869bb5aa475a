using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>What is stored beside a trained model: where it came from and how good it was on its holdout.</summary>
public sealed record RankingModelInfo(
    string Version, string Event, DateTimeOffset CreatedAt, string FeatureSchema, IReadOnlyList<string> Features,
    string EmbeddingModel, string TrainingDataHash, string CodeVersion, RankingSettings Settings, int TrainingExamples,
    RankingMetrics Holdout);
