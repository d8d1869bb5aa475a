using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// The learned ranker: ML.NET FastTree with the LambdaMART objective (it optimises NDCG directly), trained on
/// past-year attendance grouped per visitor. Scoring reads the trained trees out of ML.NET's model into flat
/// arrays and walks them directly: step 4 scores millions of (visitor, session) rows, and ML.NET's per-row data
/// view machinery costs several times the tree walks themselves. A test holds the two to the same scores.
/// </summary>
public sealed class LearnedRanker
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;
    private readonly FlatTreeEnsemble _trees;

    private LearnedRanker(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        (_ml, _model, _schema) = (ml, model, schema);
        _trees = FlatTreeEnsemble.From(model);
    }

    public static LearnedRanker Train(IReadOnlyList<RankingExample> examples, RankerTrainingOptions options)
    {
        if (examples.Count == 0) throw new InvalidOperationException("no training examples: no past visitor attended a session with an embedding");
        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new TrainingRow { Group = e.Group, Label = e.Label, Features = e.Features }));
        var trainer = ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
        {
            LabelColumnName = nameof(TrainingRow.Label),
            FeatureColumnName = nameof(TrainingRow.Features),
            RowGroupColumnName = "GroupKey",
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            Seed = options.Seed,
            // One thread: the same examples and seed then give the same trees, so a retrained model is reproducible.
            NumberOfThreads = 1,
        });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(TrainingRow.Group)).Append(trainer);
        var fitted = pipeline.Fit(data);
        // Scoring needs only the trees; the group key mapping exists for training.
        var scorer = fitted.LastTransformer;
        var scoringSchema = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>()).Schema;
        return new LearnedRanker(ml, scorer, scoringSchema);
    }

    /// <summary>Scores rows of <see cref="RankingFeatures.Count"/> values each; higher is better. Thread-safe.</summary>
    public float[] Score(ReadOnlySpan<float> features) => _trees.Score(features, RankingFeatures.Count);

    /// <summary>The same scores computed by ML.NET's own prediction pipeline (the reference for <see cref="Score"/>).</summary>
    public float[] ScoreWithMLNet(ReadOnlySpan<float> features)
    {
        var rows = features.Length / RankingFeatures.Count;
        var copy = features.ToArray();
        var view = _ml.Data.LoadFromEnumerable(Enumerable.Range(0,
            rows).Select(r => new FeatureRow { Features = copy.AsSpan(r * RankingFeatures.Count, RankingFeatures.Count).ToArray() }));
        return _model.Transform(view).GetColumn<float>("Score").ToArray();
    }

    public void Save(Stream destination) => _ml.Model.Save(_model, _schema, destination);

    public static LearnedRanker Load(Stream source)
    {
        var ml = new MLContext(0);
        var model = ml.Model.Load(source, out var schema);
        return new LearnedRanker(ml, model, schema);
    }

    private sealed class TrainingRow
    {
        public uint Group { get; set; }
        public float Label { get; set; }
        [VectorType(RankingFeatures.Count)] public float[] Features { get; set; } = [];
    }

    private sealed class FeatureRow
    {
        [VectorType(RankingFeatures.Count)] public float[] Features { get; set; } = [];
    }
}
