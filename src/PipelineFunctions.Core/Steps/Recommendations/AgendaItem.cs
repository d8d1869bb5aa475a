namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>One recommended session, with the ids of the other agenda sessions it overlaps in time.</summary>
internal sealed record AgendaItem(string SessionId, double Score, IReadOnlyList<string> OverlappingSessionIds);
