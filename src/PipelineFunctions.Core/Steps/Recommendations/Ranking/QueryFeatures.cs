namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>One query's features, candidate-major (<see cref="RankingFeatures.Count"/> values per candidate).</summary>
internal sealed record QueryFeatures(float[] Values, string Strategy, int SourceSessions)
{
    public float Get(int candidate, int feature) => Values[candidate * RankingFeatures.Count + feature];
}
