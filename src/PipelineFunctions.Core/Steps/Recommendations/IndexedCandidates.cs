namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// A visitor's candidates as indexes into a table of sessions with their scores, best first: how step 4's fan-in holds
/// hundreds of thousands of visitors' lists without a session id per candidate.
/// </summary>
internal sealed record IndexedCandidates(string BadgeId, int[] Sessions, double[] Scores);
