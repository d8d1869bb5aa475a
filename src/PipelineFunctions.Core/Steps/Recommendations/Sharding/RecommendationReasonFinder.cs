using System.Collections.Concurrent;
using System.Numerics.Tensors;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Core.Inputs;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// A shard's reasons: for each candidate a visitor keeps after the business rules, the strongest signal as a code and an
/// integer argument (docs/recommendation-reasons.md), in this order: the closest session the visitor attended at a past
/// show (when it is at least min_similarity_score close, or nothing else applies), a stream that follows from the
/// visitor's specialisation, then from their job role, similar past visitors (when they chose the sources), else the
/// closest of past shows' most attended sessions. Everything it reads is show-wide or the visitor's own, so a visitor's
/// reasons do not depend on the shard they fall in. No text is built here: the fan-in renders the recommended ones.
/// </summary>
internal sealed class RecommendationReasonFinder
{
    private readonly EventConfig _config;
    private readonly double _threshold; // min_similarity_score of the configured embedder, as step 4's scorer applies it
    private readonly VisitorAttributes _attributes;
    private readonly IReadOnlyList<RecommendableSession> _sessions;
    private readonly Dictionary<string, int> _pastIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _ownSessions = new(StringComparer.Ordinal);
    // Show-wide, so built once for the shards of one process (see For): what each past visitor attended (past session
    // indexes) and, for each past session, its cosine with each of this year's sessions.
    private readonly Dictionary<(VisitorKind, string), List<int>> _attendedBy = [];
    private readonly float[][] _cosineRows;
    private readonly int[] _popular;
    private readonly StreamMatrix _jobRoleStreams, _specialisationStreams;
    // Visitors with the same job role and specialisation answer have the same interest streams (few distinct pairs).
    // Each session's streams as small integers (trimmed, case-insensitive): a visitor's interests are then one flag per
    // stream, and a candidate's check is a few array reads rather than hashing stream names (80 candidates per visitor).
    private readonly Dictionary<string, int> _streamIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly int[][] _sessionStreams;
    private readonly ConcurrentDictionary<string, (bool[] Specialisation, bool[] JobRole)> _interests =
        new(StringComparer.Ordinal);

    /// <param name="sessions">This year's recommendable sessions: candidates are indexes into it.</param>
    /// <param name="thisYear">Their embeddings, by session id.</param>
    /// <param name="past">Past sessions' embeddings, in the scoring context's order (an argument indexes it).</param>
    /// <param name="pastSelves">The shard's visitors' past selves (only theirs are looked up).</param>
    public RecommendationReasonFinder(EventConfig config, IReadOnlyList<RecommendableSession> sessions,
        IReadOnlyDictionary<string, float[]> thisYear, IReadOnlyList<(string SessionId, float[] Vector)> past,
        IReadOnlyList<SameVisitorLink> pastSelves, IReadOnlyDictionary<VisitorKind, IReadOnlyList<AttendanceLink>> attendance,
        StreamMatrix jobRoleStreams, StreamMatrix specialisationStreams)
    {
        _config = config;
        _threshold = config.SimilarityThreshold();
        _attributes = new VisitorAttributes(config);
        _sessions = sessions;
        _sessionStreams = [.. sessions.Select(session => session.Streams.Select(stream => StreamId(stream.Trim())).ToArray())];
        _jobRoleStreams = jobRoleStreams;
        _specialisationStreams = specialisationStreams;
        for (var p = 0; p < past.Count; p++) _pastIndex.TryAdd(past[p].SessionId, p);

        var popularity = new int[past.Count];
        foreach (var (kind, links) in attendance)
            foreach (var link in links)
            {
                if (!_pastIndex.TryGetValue(link.SessionId, out var p)) continue;
                popularity[p]++;
                if (!_attendedBy.TryGetValue((kind, link.BadgeId), out var list)) _attendedBy[(kind, link.BadgeId)] = list = [];
                list.Add(p);
            }
        // The reference heuristic's popular sources, by the same definition (ties by session id).
        _popular = Enumerable.Range(0, past.Count).Where(p => popularity[p] > 0).OrderByDescending(p => popularity[p])
            .ThenBy(p => past[p].SessionId, StringComparer.Ordinal).Take(ReferenceHeuristicScorer.PopularSourceCount).ToArray();

        var vectors = sessions.Select(session => thisYear.GetValueOrDefault(session.SessionId)).ToArray();
        _cosineRows = new float[past.Count][];
        for (var p = 0; p < past.Count; p++)
        {
            var row = _cosineRows[p] = new float[sessions.Count];
            for (var s = 0; s < row.Length; s++) row[s] = vectors[s] is { } vector ? TensorPrimitives.Dot(past[p].Vector, vector) : float.MinValue;
        }
        OwnSessions(pastSelves);
    }

    /// <summary>Everything show-wide shared (read-only, or safe across threads), the visitors' own past sessions theirs.</summary>
    private RecommendationReasonFinder(RecommendationReasonFinder shown, IReadOnlyList<SameVisitorLink> pastSelves)
    {
        (_config, _threshold, _attributes, _sessions, _pastIndex, _attendedBy, _cosineRows, _popular) = (shown._config, shown._threshold,
            shown._attributes, shown._sessions, shown._pastIndex, shown._attendedBy, shown._cosineRows, shown._popular);
        (_jobRoleStreams, _specialisationStreams, _streamIds, _sessionStreams, _interests) = (shown._jobRoleStreams,
            shown._specialisationStreams, shown._streamIds, shown._sessionStreams, shown._interests);
        OwnSessions(pastSelves);
    }

    /// <summary>
    /// A finder for other visitors of the same show (<paramref name="pastSelves"/>: theirs): shards of one run in one process
    /// build the show-wide part once.
    /// </summary>
    public RecommendationReasonFinder For(IReadOnlyList<SameVisitorLink> pastSelves) => new(this, pastSelves);

    private void OwnSessions(IReadOnlyList<SameVisitorLink> pastSelves)
    {
        foreach (var self in pastSelves.GroupBy(l => l.BadgeId, StringComparer.Ordinal))
        {
            var own = self.SelectMany(l => _attendedBy.GetValueOrDefault((l.PastKind, l.PastBadgeId)) ?? []).Distinct().Order().ToArray();
            if (own.Length > 0) _ownSessions[self.Key] = own;
        }
    }

    /// <summary>The reasons of a visitor's first <paramref name="count"/> candidates (indexes into this year's sessions).</summary>
    public (byte[] Codes, int[] Arguments) Find(VisitorNode visitor, string strategy, int[] candidates, int count)
    {
        var codes = new byte[count];
        var arguments = new int[count];
        var own = strategy == GenerationStrategies.ReturningPastSessions ? _ownSessions.GetValueOrDefault(visitor.BadgeId) : null;
        var similar = strategy is GenerationStrategies.ReturningSimilarVisitors or GenerationStrategies.NewSimilarVisitors;
        var (specialisation, jobRole) = Interests(visitor);
        for (var i = 0; i < count; i++)
        {
            var session = candidates[i];
            var (code, argument) = (RecommendationReasonCode.None, -1);
            var (closest, cosine) = own is null ? (-1, float.MinValue) : Closest(own, session);
            if (closest >= 0 && cosine >= _threshold) (code, argument) = (RecommendationReasonCode.AttendedBefore, closest);
            else if (StreamIn(session, specialisation) is var s and >= 0) (code, argument) = (RecommendationReasonCode.MatchesSpecialisation, s);
            else if (StreamIn(session, jobRole) is var j and >= 0) (code, argument) = (RecommendationReasonCode.MatchesJobRole, j);
            else if (closest >= 0) (code, argument) = (RecommendationReasonCode.AttendedBefore, closest);
            else if (similar) code = RecommendationReasonCode.PopularWithSimilarVisitors;
            else (code, argument) = (RecommendationReasonCode.PopularBefore, Closest(_popular, session).Past);
            codes[i] = (byte)code;
            arguments[i] = argument;
        }
        return (codes, arguments);
    }

    /// <summary>The past session of <paramref name="sources"/> closest to this year's session (the lowest index of equals).</summary>
    private (int Past, float Cosine) Closest(int[] sources, int session)
    {
        var (best, cosine) = (-1, float.MinValue);
        foreach (var p in sources)
            if (_cosineRows[p][session] > cosine) (best, cosine) = (p, _cosineRows[p][session]);
        return (best, cosine);
    }

    /// <summary>The position of the session's first stream among the flagged ones, or -1.</summary>
    private int StreamIn(int session, bool[] streams)
    {
        var sessionStreams = _sessionStreams[session];
        for (var i = 0; i < sessionStreams.Length; i++)
            if (streams[sessionStreams[i]]) return i;
        return -1;
    }

    private int StreamId(string stream)
    {
        if (!_streamIds.TryGetValue(stream, out var id)) _streamIds[stream] = id = _streamIds.Count;
        return id;
    }

    private (bool[] Specialisation, bool[] JobRole) Interests(VisitorNode visitor)
    {
        var jobRole = visitor.Properties.GetValueOrDefault(_config.Registration.JobRoleField) ?? "";
        var specialisations = _attributes.Specialisations(VisitorKind.ThisYear, visitor);
        return _interests.GetOrAdd(jobRole + "\u001e" + string.Join('\u001f', specialisations), _ => (
            Flags(specialisations.SelectMany(_specialisationStreams.StreamsOf)),
            Flags(TextKeys.SplitList(jobRole).SelectMany(_jobRoleStreams.StreamsOf))));
    }

    /// <summary>One flag per stream of this year's sessions: set for the named ones (streams no session has are ignored).</summary>
    private bool[] Flags(IEnumerable<string> streams)
    {
        var flags = new bool[_streamIds.Count];
        foreach (var stream in streams)
            if (_streamIds.TryGetValue(stream.Trim(), out var id)) flags[id] = true;
        return flags;
    }
}
