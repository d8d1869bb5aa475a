namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>Time clashes inside one visitor's list: same date and overlapping time ranges (touching ranges do not overlap).</summary>
internal static class TimeClashes
{
    /// <summary>True when both sessions are on the same date and their time ranges overlap; end == start is no overlap.</summary>
    public static bool Overlap(RecommendableSession a, RecommendableSession b) =>
        a.Date == b.Date && a.Start < b.End && b.Start < a.End;

    /// <summary>Each item with the ids of the other items of the list that overlap it, in list order.</summary>
    public static IReadOnlyList<AgendaItem> Annotate(
        IReadOnlyList<ScoredSession> items, IReadOnlyDictionary<string, RecommendableSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(sessions);
        var resolved = new RecommendableSession[items.Count];
        for (var i = 0; i < items.Count; i++) resolved[i] = Lookup(sessions, items[i].SessionId);

        var result = new AgendaItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var overlapping = new List<string>();
            for (var j = 0; j < items.Count; j++)
            {
                if (i == j || items[i].SessionId == items[j].SessionId) continue;
                if (Overlap(resolved[i], resolved[j])) overlapping.Add(items[j].SessionId);
            }
            result[i] = new AgendaItem(items[i].SessionId, items[i].Score, overlapping);
        }
        return result;
    }

    /// <summary>
    /// Keeps the higher-scored of overlapping sessions: items are taken in score order (ties: lower session id, ordinal)
    /// and kept when they clash with nothing kept so far. The result is in that order.
    /// </summary>
    public static IReadOnlyList<ScoredSession> Resolve(
        IReadOnlyList<ScoredSession> items, IReadOnlyDictionary<string, RecommendableSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(sessions);
        var ordered = items.ToArray();
        Array.Sort(ordered, ScoreOrder);
        var kept = new List<ScoredSession>();
        var keptSessions = new List<RecommendableSession>();
        foreach (var item in ordered)
        {
            var session = Lookup(sessions, item.SessionId);
            var clash = false;
            for (var k = 0; k < keptSessions.Count && !clash; k++)
                clash = kept[k].SessionId == item.SessionId || Overlap(keptSessions[k], session);
            if (clash) continue;
            kept.Add(item);
            keptSessions.Add(session);
        }
        return kept;
    }

    /// <summary>Score descending, then session id ascending (ordinal).</summary>
    internal static int ScoreOrder(ScoredSession a, ScoredSession b)
    {
        var byScore = b.Score.CompareTo(a.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(a.SessionId, b.SessionId);
    }

    internal static RecommendableSession Lookup(IReadOnlyDictionary<string, RecommendableSession> sessions, string id) =>
        sessions.TryGetValue(id, out var session)
            ? session
            : throw new ArgumentException($"candidate session '{id}' is not among the recommendable sessions", nameof(sessions));
}
