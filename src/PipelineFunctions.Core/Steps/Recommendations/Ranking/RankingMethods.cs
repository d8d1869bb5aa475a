namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>The methods an evaluation compares.</summary>
public static class RankingMethods
{
    public const string Random = "random", Popularity = "popularity", ReferenceHeuristic = "reference_heuristic",
        LearnedRanker = "learned_ranker", CurrentModel = "current_model";
}
