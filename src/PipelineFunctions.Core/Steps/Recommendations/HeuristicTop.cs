namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// A visitor's first candidates from <see cref="ReferenceHeuristicScorer.Top"/>: session indexes (into the scorer's
/// SessionIds) with their scores, best first; how many candidates passed the rules in all; how the sources were chosen.
/// </summary>
internal sealed record HeuristicTop(int[] Sessions, double[] Scores, int Passing, string Strategy);
