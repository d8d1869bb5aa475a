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
/// The pairs are examined in rounds of a few candidates per visitor, each visitor's candidates in score order, so a
/// visitor's tail is never looked at once their agenda is full.
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
        var clashes = new ClashMatrix(sessions, resolveClashes);
        // Per visitor, side by side so that examining a pair touches few cache lines: sessions accepted and candidates
        // examined; then each accepted session's table index and candidate position.
        var progress = new int[n * 2];
        var accepted = new int[n * max * 2];
        var refusedSessions = new List<int>?[n];
        var backfilled = new bool[n];
        var capacityRefusals = 0;
        var assignments = 0;

        // The pairs are examined in the global order (score descending, then visitor rank, then the visitor's own order) in
        // bands: each round loads, of every visitor still open, the candidates down to a score that about half of them reach
        // within a few candidates, sorts them, and examines them all, since no candidate left for later can precede them.
        // A sort of flat keys costs far less than a heap round trip per pair, and a visitor's tail is still never loaded
        // once their agenda is full.
        var open = new List<int>(n);
        for (var v = 0; v < n; v++)
            if (max > 0 && lists[v].Sessions.Length > 0) open.Add(v);
        var loaded = new int[n];
        var roundDepth = Math.Max(4, max + max / 2);
        var pairs = new PairBuffer(n * Math.Min(roundDepth, 16));
        var reach = new ulong[n];
        while (open.Count > 0)
        {
            var reaching = 0;
            foreach (var v in open)
            {
                var list = lists[v];
                if (loaded[v] < list.Sessions.Length)
                    reach[reaching++] = DescendingKey(list.Scores[Math.Min(list.Sessions.Length, loaded[v] + roundDepth) - 1]);
            }
            if (reaching == 0) break;
            Array.Sort(reach, 0, reaching);
            var band = reach[reaching / 2];
            pairs.Clear();
            foreach (var v in open)
            {
                var list = lists[v];
                var at = loaded[v];
                for (; at < list.Sessions.Length && DescendingKey(list.Scores[at]) is var key && key <= band; at++)
                    pairs.Add(key, v, at, list.Sessions[at]);
                loaded[v] = at;
            }
            pairs.Sort();

            for (var i = 0; i < pairs.Count; i++)
            {
                var (v, at, table) = PairBuffer.Split(pairs.Items[i]);
                var count = progress[2 * v];
                if (count >= max) continue;
                progress[2 * v + 1] = at + 1;
                if (table == PairBuffer.NotInTable) table = lists[v].Sessions[at];
                var slot = state.SlotOf(table);
                var baseIndex = v * max * 2;
                var rejected = false;
                for (var k = 0; k < count && !rejected; k++) rejected = clashes.Clash(table, accepted[baseIndex + 2 * k]);
                if (rejected) continue;

                if (state.SlotCount[slot] >= state.SlotLimit[slot])
                {
                    capacityRefusals++;
                    state.SlotRefusals[slot]++;
                    (refusedSessions[v] ??= []).Add(table);
                    continue;
                }
                state.SlotCount[slot]++;
                accepted[baseIndex + 2 * count] = table;
                accepted[baseIndex + 2 * count + 1] = at;
                progress[2 * v] = count + 1;
                assignments++;
                if (refusedSessions[v] is not null) backfilled[v] = true;
            }
            open.RemoveAll(v => progress[2 * v] >= max || loaded[v] >= lists[v].Sessions.Length);
        }

        var agendas = new Agenda[n];
        var exhausted = new bool[n];
        var deepest = 0;
        var withRecommendations = 0;
        var backfilledVisitors = 0;
        for (var v = 0; v < n; v++)
        {
            var count = progress[2 * v];
            var examined = progress[2 * v + 1];
            exhausted[v] = count < max && examined >= lists[v].Sessions.Length;
            deepest = Math.Max(deepest, examined);
            if (count > 0) withRecommendations++;
            if (backfilled[v]) backfilledVisitors++;
            var items = new AgendaItem[count];
            for (var i = 0; i < count; i++)
            {
                var si = sessions[accepted[(v * max + i) * 2]];
                List<string>? overlapping = null;
                // When clashes are resolved, no two accepted sessions overlap (the clash matrix refused them): nothing to look for.
                for (var j = 0; j < count && !resolveClashes; j++)
                {
                    var sj = sessions[accepted[(v * max + j) * 2]];
                    if (i != j && TimeClashes.Overlap(si, sj)) (overlapping ??= []).Add(sj.SessionId);
                }
                items[i] = new AgendaItem(si.SessionId, lists[v].Scores[accepted[(v * max + i) * 2 + 1]], overlapping ?? (IReadOnlyList<string>)[]);
            }

            var agendaNotes = new List<string>();
            if (notes is not null && notes.TryGetValue(ordered[v].BadgeId, out var given)) agendaNotes.AddRange(given);
            if (refusedSessions[v] is { } lost)
                agendaNotes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{lost.Count} session(s) refused because their theatre slot was full: " +
                    $"{string.Join(", ", lost.Select(x => sessions[x].SessionId))}"));
            agendas[v] = new Agenda(ordered[v].BadgeId, items, agendaNotes);
        }

        var (theatres, slotsAtCapacity) = state.Fill();
        var lengths = new long[max + 1];
        for (var v = 0; v < n; v++) lengths[progress[2 * v]]++;
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

    /// <summary>The (theatre, date, start) slots of the sessions met so far, indexed densely.</summary>
    private sealed class SlotState(AgendaAssembler owner, IReadOnlyList<RecommendableSession> sessions, Func<int, string> missingId)
    {
        // Table index -> slot + 1 (0: session not met yet).
        private readonly int[] _slotOfSession = new int[sessions.Count];
        private readonly Dictionary<(string Theatre, DateOnly Date, TimeOnly Start), int> _slotIndex = [];
        private readonly List<(string Theatre, DateOnly Date, TimeOnly Start)> _slotKeys = [];

        public List<int> SlotLimit { get; } = [];
        public List<int> SlotCount { get; } = [];
        public List<int> SlotRefusals { get; } = [];

        /// <summary>The slot of a candidate's session; refused only here, when examined, if it is not in the table.</summary>
        public int SlotOf(int tableIndex)
        {
            if (tableIndex < 0 || tableIndex >= sessions.Count)
                throw new ArgumentException($"candidate session '{missingId(tableIndex)}' is not among the recommendable sessions", nameof(sessions));
            if (_slotOfSession[tableIndex] > 0) return _slotOfSession[tableIndex] - 1;
            var session = sessions[tableIndex];
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
            _slotOfSession[tableIndex] = slot + 1;
            return slot;
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

    /// <summary>Whether two sessions of the table may not share an agenda: the same session, or a time clash when clashes are resolved.</summary>
    private sealed class ClashMatrix
    {
        private readonly ulong[] _bits;
        private readonly int _words;

        public ClashMatrix(IReadOnlyList<RecommendableSession> sessions, bool resolveClashes)
        {
            var count = sessions.Count;
            _words = (count + 63) / 64;
            _bits = new ulong[count * _words];
            for (var a = 0; a < count; a++)
                for (var b = 0; b < count; b++)
                    if (a == b || (resolveClashes && TimeClashes.Overlap(sessions[a], sessions[b])))
                        _bits[a * _words + (b >> 6)] |= 1UL << (b & 63);
        }

        public bool Clash(int a, int b) => (_bits[a * _words + (b >> 6)] & (1UL << (b & 63))) != 0;
    }

    /// <summary>Orders scores descending as unsigned integers do ascending (0 and -0 alike, as == has them).</summary>
    private static ulong DescendingKey(double score)
    {
        var bits = BitConverter.DoubleToInt64Bits(score == 0 ? 0.0 : score);
        return ~(bits < 0 ? ~(ulong)bits : (ulong)bits | 0x8000_0000_0000_0000UL);
    }

    /// <summary>
    /// (visitor, candidate position, session table index) triples packed in that order of significance, with their score
    /// keys: sorted by key, then visitor, then position.
    /// </summary>
    private sealed class PairBuffer(int capacity)
    {
        /// <summary>Packed in place of a table index that is out of the packing's range (a session not in the table).</summary>
        public const int NotInTable = (1 << 24) - 1;

        private ulong[] _keys = new ulong[Math.Max(16, capacity)];
        private ulong[] _items = new ulong[Math.Max(16, capacity)];

        public ulong[] Keys => _keys;
        public ulong[] Items => _items;
        public int Count { get; private set; }

        public static (int Visitor, int Position, int Table) Split(ulong item) =>
            ((int)(item >> 40), (int)(item >> 24) & 0xFFFF, (int)(item & NotInTable));

        public void Add(ulong key, int visitor, int position, int table)
        {
            if (visitor >= 1 << 24 || position >= 1 << 16)
                throw new ArgumentException("at most 16,777,215 visitors with 65,535 candidates each are assembled at once");
            if (Count == Keys.Length)
            {
                Array.Resize(ref _keys, 2 * Count);
                Array.Resize(ref _items, 2 * Count);
            }
            Keys[Count] = key;
            Items[Count++] = ((ulong)visitor << 40) | ((ulong)position << 24) | (uint)(table is >= 0 and < NotInTable ? table : NotInTable);
        }

        public void Sort()
        {
            Array.Sort(Keys, Items, 0, Count);
            // Equal scores: by visitor rank, then the visitor's own order (the item's high and low halves).
            for (var start = 0; start < Count;)
            {
                var end = start + 1;
                while (end < Count && Keys[end] == Keys[start]) end++;
                if (end - start > 1) Array.Sort(Items, start, end - start);
                start = end;
            }
        }

        public void Clear() => Count = 0;
    }
}
