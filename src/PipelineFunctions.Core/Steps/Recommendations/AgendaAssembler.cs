using System.Globalization;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Builds every visitor's agenda at once so theatre capacity is global. Greedy and deterministic: all
/// (visitor, candidate) pairs are considered in descending score order (ties: badge id, then session id, ordinal);
/// a pair is accepted when the visitor has fewer than max_recommendations, its (theatre, date, start) slot has room
/// (floor(capacity x multiplier); theatres without a capacity, or capacity disabled: unlimited) and, when
/// resolve_overlapping_sessions, it clashes with none of the visitor's accepted sessions. A visitor who loses a full
/// slot therefore gets their next best session that fits (backfill) instead of a hole.
/// The pairs are merged lazily (a heap over visitors, each visitor's candidates in score order), so a visitor's tail is
/// never looked at once their agenda is full.
/// </summary>
internal sealed class AgendaAssembler
{
    private readonly RecommendationSettings _settings;
    private readonly IReadOnlyDictionary<string, int> _theatreCapacity;

    public AgendaAssembler(RecommendationSettings settings, IReadOnlyDictionary<string, int> theatreCapacity)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _theatreCapacity = theatreCapacity ?? throw new ArgumentNullException(nameof(theatreCapacity));
    }

    /// <param name="visitors">Each visitor's (already filtered) candidates; badge ids must be unique.</param>
    /// <param name="sessions">The recommendable sessions by id; every candidate that is examined must be here.</param>
    /// <param name="notes">Optional notes per badge id (e.g. from the business rules), copied first into the agenda's notes.</param>
    public AssemblyResult Assemble(
        IReadOnlyList<VisitorCandidates> visitors,
        IReadOnlyDictionary<string, RecommendableSession> sessions,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(visitors);
        ArgumentNullException.ThrowIfNull(sessions);
        var table = sessions.Values.ToList();
        var index = table.Select((session, i) => (session.SessionId, i)).ToDictionary(p => p.SessionId, p => p.i, StringComparer.Ordinal);
        var unknown = new List<string>();
        int IndexOf(string id)
        {
            if (index.TryGetValue(id, out var i)) return i;
            // Refused only if examined (see below): a candidate the assembler never reaches may be anything.
            unknown.Add(id);
            return -unknown.Count;
        }
        var indexed = visitors.Select(v => new IndexedCandidates(v.BadgeId, [.. v.Ranked.Select(r => IndexOf(r.SessionId))],
            [.. v.Ranked.Select(r => r.Score)])).ToList();
        return Assemble(indexed, table, notes, missing => unknown[-missing - 1]);
    }

    /// <summary>
    /// As the other overload, with each visitor's candidates as indexes into <paramref name="sessions"/> (what step 4's
    /// fan-in reads from its shards): no session id is looked up per candidate.
    /// </summary>
    public AssemblyResult Assemble(
        IReadOnlyList<IndexedCandidates> visitors,
        IReadOnlyList<RecommendableSession> sessions,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? notes = null) =>
        Assemble(visitors, sessions, notes, missing => $"#{missing}");

    private AssemblyResult Assemble(
        IReadOnlyList<IndexedCandidates> visitors,
        IReadOnlyList<RecommendableSession> sessions,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? notes,
        Func<int, string> missingId)
    {
        ArgumentNullException.ThrowIfNull(visitors);
        ArgumentNullException.ThrowIfNull(sessions);

        var ordered = visitors.ToArray();
        Array.Sort(ordered, (a, b) => string.CompareOrdinal(a.BadgeId, b.BadgeId));
        for (var i = 1; i < ordered.Length; i++)
            if (ordered[i].BadgeId == ordered[i - 1].BadgeId)
                throw new ArgumentException($"badge id '{ordered[i].BadgeId}' appears more than once", nameof(visitors));

        var n = ordered.Length;
        var max = Math.Max(0, _settings.MaxRecommendations);
        var resolveClashes = _settings.ResolveOverlappingSessions;

        // Each visitor's candidates in (score desc, session id asc) order, NaN scores dropped.
        var lists = new IndexedCandidates[n];
        for (var v = 0; v < n; v++) lists[v] = InScoreOrder(ordered[v], sessions, missingId);

        var state = new SlotState(this, sessions, missingId);
        var acceptedSession = new int[n * max];
        var acceptedScore = new double[n * max];
        var acceptedDay = new int[n * max];
        var acceptedStart = new long[n * max];
        var acceptedEnd = new long[n * max];
        var acceptedCount = new int[n];
        var refusedSessions = new List<int>?[n];
        var backfilled = new bool[n];
        var position = new int[n];
        var capacityRefusals = 0;
        var assignments = 0;

        var heap = new VisitorHeap(n);
        if (max > 0)
            for (var v = 0; v < n; v++)
                if (lists[v].Sessions.Length > 0) heap.Push(lists[v].Scores[0], v);

        while (heap.TryPop(out var v))
        {
            var list = lists[v];
            var baseIndex = v * max;
            // Take this visitor's candidates for as long as they precede every other visitor's next one: that is
            // exactly the global order, without a heap round trip per pair.
            while (true)
            {
                var at = position[v]++;
                var s = state.SessionIndex(list.Sessions[at]);
                var candidateScore = list.Scores[at];
                var day = state.Day[s];
                var start = state.Start[s];
                var end = state.End[s];
                var count = acceptedCount[v];
                var rejected = false;
                for (var k = baseIndex; k < baseIndex + count; k++)
                {
                    if (acceptedSession[k] == s
                        || (resolveClashes && acceptedDay[k] == day && acceptedStart[k] < end && start < acceptedEnd[k]))
                    {
                        rejected = true;
                        break;
                    }
                }

                if (!rejected)
                {
                    var slot = state.SlotOf[s];
                    if (state.SlotCount[slot] >= state.SlotLimit[slot])
                    {
                        capacityRefusals++;
                        state.SlotRefusals[slot]++;
                        (refusedSessions[v] ??= []).Add(s);
                    }
                    else
                    {
                        state.SlotCount[slot]++;
                        var accepted = baseIndex + count;
                        acceptedSession[accepted] = s;
                        acceptedScore[accepted] = candidateScore;
                        acceptedDay[accepted] = day;
                        acceptedStart[accepted] = start;
                        acceptedEnd[accepted] = end;
                        acceptedCount[v] = ++count;
                        assignments++;
                        if (refusedSessions[v] is not null) backfilled[v] = true;
                    }
                }

                if (count >= max || position[v] >= list.Sessions.Length) break;
                var nextScore = list.Scores[position[v]];
                if (!heap.Precedes(nextScore, v))
                {
                    heap.Push(nextScore, v);
                    break;
                }
            }
        }

        var agendas = new Agenda[n];
        var exhausted = new bool[n];
        var deepest = 0;
        var withRecommendations = 0;
        var backfilledVisitors = 0;
        for (var v = 0; v < n; v++)
        {
            var count = acceptedCount[v];
            exhausted[v] = count < max && position[v] >= lists[v].Sessions.Length;
            deepest = Math.Max(deepest, position[v]);
            if (count > 0) withRecommendations++;
            if (backfilled[v]) backfilledVisitors++;
            var items = new AgendaItem[count];
            for (var i = 0; i < count; i++)
            {
                var si = acceptedSession[v * max + i];
                var overlapping = new List<string>();
                for (var j = 0; j < count; j++)
                {
                    var sj = acceptedSession[v * max + j];
                    if (i != j && TimeClashes.Overlap(state.Sessions[si], state.Sessions[sj]))
                        overlapping.Add(state.Sessions[sj].SessionId);
                }
                items[i] = new AgendaItem(state.Sessions[si].SessionId, acceptedScore[v * max + i], overlapping);
            }

            var agendaNotes = new List<string>();
            if (notes is not null && notes.TryGetValue(ordered[v].BadgeId, out var given)) agendaNotes.AddRange(given);
            if (refusedSessions[v] is { } lost)
                agendaNotes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{lost.Count} session(s) refused because their theatre slot was full: " +
                    $"{string.Join(", ", lost.Select(x => state.Sessions[x].SessionId))}"));
            agendas[v] = new Agenda(ordered[v].BadgeId, items, agendaNotes);
        }

        var (theatres, slotsAtCapacity) = state.Fill();
        var lengths = new long[max + 1];
        foreach (var accepted in acceptedCount) lengths[accepted]++;
        var statistics = new AssemblyStatistics(
            n, withRecommendations, assignments, capacityRefusals, backfilledVisitors, slotsAtCapacity, theatres, state.Slots(), lengths);
        return new AssemblyResult(agendas, statistics, exhausted, deepest);
    }

    private static IndexedCandidates InScoreOrder(IndexedCandidates visitor, IReadOnlyList<RecommendableSession> sessions,
        Func<int, string> missingId)
    {
        string Id(int session) => session >= 0 && session < sessions.Count ? sessions[session].SessionId : missingId(session);
        int Order(int a, int b)
        {
            var byScore = visitor.Scores[b].CompareTo(visitor.Scores[a]);
            return byScore != 0 ? byScore : string.CompareOrdinal(Id(visitor.Sessions[a]), Id(visitor.Sessions[b]));
        }
        var sorted = true;
        for (var i = 0; i < visitor.Scores.Length && sorted; i++)
        {
            if (double.IsNaN(visitor.Scores[i])) sorted = false;
            else if (i > 0 && visitor.Scores[i - 1] <= visitor.Scores[i] && Order(i - 1, i) > 0) sorted = false;
        }
        if (sorted) return visitor;
        var kept = Enumerable.Range(0, visitor.Scores.Length).Where(i => !double.IsNaN(visitor.Scores[i])).ToList();
        kept.Sort(Order);
        return visitor with { Sessions = [.. kept.Select(i => visitor.Sessions[i])], Scores = [.. kept.Select(i => visitor.Scores[i])] };
    }

    private int? LimitFor(string theatre, out int? capacity)
    {
        capacity = _theatreCapacity.TryGetValue(theatre, out var seats) ? seats : null;
        if (!_settings.TheatreCapacity.Enabled || capacity is null) return null;
        return (int)Math.Max(0, Math.Floor(capacity.Value * _settings.TheatreCapacity.Multiplier));
    }

    /// <summary>Sessions and slots met so far, indexed densely.</summary>
    private sealed class SlotState(AgendaAssembler owner, IReadOnlyList<RecommendableSession> sessions, Func<int, string> missingId)
    {
        // Table index -> dense index + 1 (0: not met yet).
        private readonly int[] _sessionIndex = new int[sessions.Count];
        private readonly Dictionary<(string Theatre, DateOnly Date, TimeOnly Start), int> _slotIndex = [];
        private readonly List<(string Theatre, DateOnly Date, TimeOnly Start)> _slotKeys = [];

        public List<RecommendableSession> Sessions { get; } = [];
        public List<int> SlotOf { get; } = [];
        public List<int> Day { get; } = [];
        public List<long> Start { get; } = [];
        public List<long> End { get; } = [];
        public List<int> SlotLimit { get; } = [];
        public List<int> SlotCount { get; } = [];
        public List<int> SlotRefusals { get; } = [];

        public int SessionIndex(int tableIndex)
        {
            if (tableIndex < 0 || tableIndex >= sessions.Count)
                throw new ArgumentException($"candidate session '{missingId(tableIndex)}' is not among the recommendable sessions", nameof(sessions));
            if (_sessionIndex[tableIndex] > 0) return _sessionIndex[tableIndex] - 1;
            var session = sessions[tableIndex];
            var index = Sessions.Count;
            _sessionIndex[tableIndex] = index + 1;
            Sessions.Add(session);
            var key = (session.Theatre, session.Date, session.Start);
            if (!_slotIndex.TryGetValue(key, out var slot))
            {
                slot = _slotKeys.Count;
                _slotIndex.Add(key, slot);
                _slotKeys.Add(key);
                SlotLimit.Add(owner.LimitFor(session.Theatre, out _) ?? int.MaxValue);
                SlotCount.Add(0);
                SlotRefusals.Add(0);
            }
            SlotOf.Add(slot);
            Day.Add(session.Date.DayNumber);
            Start.Add(session.Start.Ticks);
            End.Add(session.End.Ticks);
            return index;
        }

        public IReadOnlyList<SlotFill> Slots() => Enumerable.Range(0, _slotKeys.Count)
            .Select(slot => new SlotFill(_slotKeys[slot].Theatre, _slotKeys[slot].Date, _slotKeys[slot].Start,
                SlotLimit[slot] == int.MaxValue ? null : SlotLimit[slot], SlotCount[slot], SlotRefusals[slot]))
            .OrderBy(s => s.Theatre, StringComparer.Ordinal).ThenBy(s => s.Date).ThenBy(s => s.Start)
            .ToList();

        public (IReadOnlyList<TheatreFill> Theatres, int SlotsAtCapacity) Fill()
        {
            var theatres = new List<TheatreFill>();
            var total = 0;
            foreach (var group in Enumerable.Range(0, _slotKeys.Count)
                         .GroupBy(slot => _slotKeys[slot].Theatre, StringComparer.Ordinal)
                         .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var limit = owner.LimitFor(group.Key, out var capacity);
                int slots = 0, assigned = 0, atCapacity = 0, refusals = 0, peak = 0;
                foreach (var slot in group)
                {
                    slots++;
                    assigned += SlotCount[slot];
                    refusals += SlotRefusals[slot];
                    peak = Math.Max(peak, SlotCount[slot]);
                    if (limit is not null && SlotCount[slot] >= limit.Value) atCapacity++;
                }
                total += atCapacity;
                double? average = limit is null ? null : limit.Value == 0 ? 1.0 : (double)assigned / ((double)slots * limit.Value);
                theatres.Add(new TheatreFill(group.Key, capacity, limit, slots, assigned, atCapacity, refusals, peak, average));
            }
            return (theatres, total);
        }
    }

    /// <summary>A binary heap of visitors keyed by their next candidate: score descending, then visitor rank (badge id order).</summary>
    private sealed class VisitorHeap(int capacity)
    {
        private readonly double[] _score = new double[Math.Max(1, capacity)];
        private readonly int[] _rank = new int[Math.Max(1, capacity)];
        private int _count;

        private static bool Before(double scoreA, int rankA, double scoreB, int rankB) =>
            scoreA > scoreB || (scoreA == scoreB && rankA < rankB);

        /// <summary>True when (score, rank) comes before every visitor in the heap (or the heap is empty).</summary>
        public bool Precedes(double score, int rank) => _count == 0 || Before(score, rank, _score[0], _rank[0]);

        public void Push(double score, int rank)
        {
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!Before(score, rank, _score[parent], _rank[parent])) break;
                _score[i] = _score[parent];
                _rank[i] = _rank[parent];
                i = parent;
            }
            _score[i] = score;
            _rank[i] = rank;
        }

        public bool TryPop(out int rank)
        {
            if (_count == 0)
            {
                rank = -1;
                return false;
            }
            rank = _rank[0];
            var last = --_count;
            if (last == 0) return true;
            var score = _score[last];
            var lastRank = _rank[last];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= last) break;
                if (child + 1 < last && Before(_score[child + 1], _rank[child + 1], _score[child], _rank[child])) child++;
                if (!Before(_score[child], _rank[child], score, lastRank)) break;
                _score[i] = _score[child];
                _rank[i] = _rank[child];
                i = child;
            }
            _score[i] = score;
            _rank[i] = lastRank;
            return true;
        }
    }
}
