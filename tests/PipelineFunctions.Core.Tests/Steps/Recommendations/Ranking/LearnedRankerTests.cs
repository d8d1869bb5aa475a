using PipelineFunctions.Core.Steps.Recommendations.Ranking;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Ranking;

public sealed class LearnedRankerTests
{
    private static readonly RankerTrainingOptions Options = new(Trees: 50, Leaves: 8, LearningRate: 0.2, MinExamplesPerLeaf: 5, Seed: 7);

    /// <summary>Queries of 20 sessions where only one feature decides attendance: the ranker must learn to order by it.</summary>
    private static List<RankingExample> Examples(int feature, int queries, int seed)
    {
        var random = new Random(seed);
        var examples = new List<RankingExample>();
        for (var q = 0; q < queries; q++)
            for (var s = 0; s < 20; s++)
            {
                var features = Enumerable.Range(0, RankingFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray();
                examples.Add(new RankingExample((uint)q, features[feature] > 0.8 ? 1f : 0f, features));
            }
        return examples;
    }

    [Theory]
    [InlineData(RankingFeatures.SourceMaxCosine)]
    [InlineData(RankingFeatures.SessionPopularity)]
    public void Learns_to_rank_by_the_feature_that_decides_attendance(int feature)
    {
        var ranker = LearnedRanker.Train(Examples(feature, 300, seed: 1), Options);
        var test = Examples(feature, 50, seed: 2);
        var scores = ranker.Score(test.SelectMany(e => e.Features).ToArray());

        var correctPairs = 0;
        var pairs = 0;
        for (var i = 0; i < test.Count; i++)
            for (var j = 0; j < test.Count; j++)
                if (test[i].Group == test[j].Group && test[i].Label > test[j].Label)
                {
                    pairs++;
                    if (scores[i] > scores[j]) correctPairs++;
                }
        Assert.True(correctPairs > 0.95 * pairs, $"{correctPairs} of {pairs} attended-over-unattended pairs ordered correctly");
    }

    [Fact]
    public void A_saved_model_loads_and_scores_the_same()
    {
        var ranker = LearnedRanker.Train(Examples(RankingFeatures.JobRoleStreamMatch, 100, seed: 3), Options);
        var rows = Examples(RankingFeatures.JobRoleStreamMatch, 5, seed: 4).SelectMany(e => e.Features).ToArray();
        using var buffer = new MemoryStream();
        ranker.Save(buffer);
        buffer.Position = 0;
        Assert.Equal(ranker.Score(rows), LearnedRanker.Load(buffer).Score(rows));
    }

    [Fact]
    public void The_same_examples_and_seed_train_the_same_model()
    {
        var examples = Examples(RankingFeatures.StreamPopularity, 100, seed: 5);
        var rows = Examples(RankingFeatures.StreamPopularity, 5, seed: 6).SelectMany(e => e.Features).ToArray();
        Assert.Equal(LearnedRanker.Train(examples, Options).Score(rows), LearnedRanker.Train(examples, Options).Score(rows));
    }

    [Fact]
    public void The_flat_tree_scorer_gives_ML_NET_s_own_scores()
    {
        var examples = Examples(RankingFeatures.SimilarVisitorsStreamRate, 200, seed: 8);
        var ranker = LearnedRanker.Train(examples, Options with { Trees = 80, Leaves = 12 });
        var rows = Examples(RankingFeatures.SimilarVisitorsStreamRate, 20, seed: 9).SelectMany(e => e.Features).ToArray();
        var flat = ranker.Score(rows);
        var mlNet = ranker.ScoreWithMLNet(rows);
        Assert.Equal(400, flat.Length);
        for (var i = 0; i < flat.Length; i++) Assert.Equal(mlNet[i], flat[i], 4);
        Assert.True(flat.Distinct().Count() > 20, "the scores vary with the features");
    }
}
