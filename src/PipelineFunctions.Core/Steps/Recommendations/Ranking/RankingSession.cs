namespace PipelineFunctions.Core.Steps.Recommendations.Ranking;

/// <summary>A session the ranker scores or learns from: its streams, theatre and (L2-normalised) embedding.</summary>
public sealed record RankingSession(string SessionId, IReadOnlyList<string> Streams, string Theatre, float[] Vector);
