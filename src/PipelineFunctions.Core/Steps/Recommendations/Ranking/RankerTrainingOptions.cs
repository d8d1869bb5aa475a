namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>Tree-ensemble size and learning settings (from the event config's recommendation.ranking).</summary>
public sealed record RankerTrainingOptions(int Trees, int Leaves, double LearningRate, int MinExamplesPerLeaf, int Seed);
