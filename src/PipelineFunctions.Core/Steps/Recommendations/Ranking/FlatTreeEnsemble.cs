using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>
/// A trained FastTree ensemble as flat arrays: per node its split feature, threshold and children (a negative child
/// is ~leaf), per leaf its value. Score = bias + sum of tree weight x leaf value, going left when value &lt;= threshold,
/// as FastTree does for numerical splits.
/// </summary>
internal sealed class FlatTreeEnsemble
{
    private readonly int[] _roots; // node offset of each tree's root
    private readonly int[] _leafOffsets;
    private readonly int[] _feature, _left, _right;
    private readonly float[] _threshold;
    private readonly double[] _leafValue;
    private readonly double _bias;
    private readonly int[] _firstNode; // 0, or ~0 for a one-leaf tree (no split nodes)

    private FlatTreeEnsemble(int[] roots, int[] leafOffsets, int[] feature, float[] threshold, int[] left, int[] right, double[] leafValue,
        double bias)
    {
        (_roots, _leafOffsets, _feature, _threshold, _left, _right, _leafValue, _bias) = (roots, leafOffsets, feature, threshold, left, right,
            leafValue, bias);
        _firstNode = roots.Select((root, t) => (t + 1 < roots.Length ? roots[t + 1] : feature.Length) == root ? ~0 : 0).ToArray();
    }

    public static FlatTreeEnsemble From(ITransformer model)
    {
        var parameters = model switch
        {
            RankingPredictionTransformer<FastTreeRankingModelParameters> ranking => ranking.Model,
            TransformerChain<ITransformer> chain when chain.LastTransformer is RankingPredictionTransformer<FastTreeRankingModelParameters> last
                => last.Model,
            _ => throw new InvalidOperationException($"the ranking model is a {model.GetType().Name}, not a FastTree ranking model"),
        };
        var ensemble = parameters.TrainedTreeEnsemble;
        List<int> roots = [], leafOffsets = [], feature = [], left = [], right = [];
        List<float> threshold = [];
        List<double> leafValue = [];
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c))
                throw new InvalidOperationException("the ranking model has categorical splits, which the flat scorer does not support");
            roots.Add(feature.Count);
            leafOffsets.Add(leafValue.Count);
            var nodes = tree.NumberOfNodes;
            for (var n = 0; n < nodes; n++)
            {
                feature.Add(tree.NumericalSplitFeatureIndexes[n]);
                threshold.Add(tree.NumericalSplitThresholds[n]);
                left.Add(tree.LeftChild[n]);
                right.Add(tree.RightChild[n]);
            }
            // Tree weights scale the leaves once here rather than on every row.
            leafValue.AddRange(tree.LeafValues.Select(v => v * ensemble.TreeWeights[t]));
        }
        return new FlatTreeEnsemble([.. roots], [.. leafOffsets], [.. feature], [.. threshold], [.. left], [.. right], [.. leafValue], ensemble.Bias);
    }

    public float[] Score(ReadOnlySpan<float> rows, int width)
    {
        var count = rows.Length / width;
        var scores = new float[count];
        for (var r = 0; r < count; r++)
        {
            var row = rows.Slice(r * width, width);
            var sum = _bias;
            for (var t = 0; t < _roots.Length; t++)
            {
                var root = _roots[t];
                var node = _firstNode[t];
                while (node >= 0)
                {
                    var at = root + node;
                    node = row[_feature[at]] <= _threshold[at] ? _left[at] : _right[at];
                }
                sum += _leafValue[_leafOffsets[t] + ~node];
            }
            scores[r] = (float)sum;
        }
        return scores;
    }
}
