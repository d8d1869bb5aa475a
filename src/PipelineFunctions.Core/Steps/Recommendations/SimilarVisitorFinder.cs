namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// The reference's similar visitors: past visitors scored by the sum of the configured weights over exactly-equal
/// attributes (case-insensitive, blank never matches), top N. Ties are broken by a seeded order, never by input
/// order, so the reference's unseeded sampling becomes reproducible. Visitors are grouped by their attribute
/// signature, so the search runs once per distinct profile, not once per visitor.
/// </summary>
internal sealed class SimilarVisitorFinder
{
    private readonly IReadOnlyList<double> _weights;
    private readonly List<(string?[] Values, List<(int Rank, string Key)> Members)> _groups;
    // Each attribute's values as small integers (0: blank), and every group's values as one row of them: a search compares
    // integers over every group, once per distinct profile of this year's visitors.
    private readonly Dictionary<string, int>[] _valueIds;
    private readonly int[] _groupValues;
    private readonly Dictionary<string, int> _groupOfSignature = new(StringComparer.Ordinal);
    private readonly bool _everyWeightCounts;
    // For each attribute, the groups holding each value id (in group order): a search reads only the groups that share an
    // answer with the visitor, tier by tier, rather than scoring every group (most of step 4's time at a large show).
    private readonly Dictionary<int, int[]>[] _groupsWithValue;
    // Attribute subsets are enumerated as bit masks: beyond this many attributes the search scores every group instead.
    private const int MaxIndexedAttributes = 12;

    /// <param name="weights">One weight per attribute, in the order of every profile's attributes.</param>
    /// <param name="candidates">Past visitors who attended something (the others have no sessions to offer).</param>
    public SimilarVisitorFinder(IReadOnlyList<double> weights, IEnumerable<PastVisitorProfile> candidates, int seed)
    {
        _weights = weights;
        var all = candidates.OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();
        // One seeded order over every candidate: equally similar visitors, in one group or across groups, are taken in it.
        new Random(seed).Shuffle(all);
        var bySignature = new Dictionary<string, (string?[] Values, List<(int Rank, string Key)> Members)>(StringComparer.Ordinal);
        for (var rank = 0; rank < all.Length; rank++)
        {
            var values = all[rank].Attributes.Select(Normalise).ToArray();
            var signature = string.Join('\u001f', values.Select(v => v ?? "\u0000"));
            if (!bySignature.TryGetValue(signature, out var group)) bySignature[signature] = group = (values, []);
            group.Members.Add((rank, all[rank].Key));
        }
        _groups = [];
        foreach (var (signature, group) in bySignature)
        {
            _groupOfSignature[signature] = _groups.Count;
            _groups.Add(group);
        }
        _everyWeightCounts = weights.All(w => w > 0);
        _valueIds = weights.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        _groupValues = new int[_groups.Count * weights.Count];
        for (var g = 0; g < _groups.Count; g++)
            for (var a = 0; a < weights.Count; a++)
                if (_groups[g].Values[a] is { } value)
                {
                    if (!_valueIds[a].TryGetValue(value, out var id)) _valueIds[a][value] = id = _valueIds[a].Count + 1;
                    _groupValues[g * weights.Count + a] = id;
                }
        _groupsWithValue = new Dictionary<int, int[]>[weights.Count];
        for (var a = 0; a < weights.Count; a++)
        {
            var lists = new Dictionary<int, List<int>>();
            for (var g = 0; g < _groups.Count; g++)
                if (_groupValues[g * weights.Count + a] is var id and > 0)
                {
                    if (!lists.TryGetValue(id, out var list)) lists[id] = list = [];
                    list.Add(g);
                }
            _groupsWithValue[a] = lists.ToDictionary(p => p.Key, p => p.Value.ToArray());
        }
    }

    /// <summary>The keys of the top <paramref name="count"/> past visitors with a positive score, best first.</summary>
    public IReadOnlyList<string> Find(IReadOnlyList<string?> attributes, int count)
    {
        var width = _weights.Count;
        // The common case at a large show: past visitors with exactly the visitor's answers, enough of them. With every
        // weight positive and every answer given, they alone have the highest score, in their group's (seeded) order.
        if (_everyWeightCounts && attributes.Count == width && attributes.All(a => !string.IsNullOrWhiteSpace(a))
            && _groupOfSignature.TryGetValue(string.Join('\u001f', attributes.Select(Normalise)), out var same)
            && _groups[same].Members.Count >= count)
            return [.. _groups[same].Members.Take(count).Select(m => m.Key)];

        // A value no past visitor has (or a blank) matches nothing: -1 never equals a group's id.
        var wanted = new int[width];
        for (var a = 0; a < width; a++)
            wanted[a] = a < attributes.Count && Normalise(attributes[a]) is { } value && _valueIds[a].TryGetValue(value, out var id) ? id : -1;
        return width <= MaxIndexedAttributes ? FindByTiers(wanted, count) : FindByScan(wanted, count);
    }

    /// <summary>
    /// A group's score is the sum of the weights of the attributes it shares with the visitor, so it is fixed by which
    /// attributes those are (a subset, as a bit mask). The subsets of the visitor's known answers are taken in descending
    /// score, tier by tier as <see cref="FindByScan"/> does, and a subset's groups are those of its rarest answer that match
    /// exactly it. Scores are summed in attribute order, as the scan does, so the tiers hold the same groups.
    /// </summary>
    private List<string> FindByTiers(int[] wanted, int count)
    {
        var width = wanted.Length;
        var known = 0;
        for (var a = 0; a < width; a++)
            if (wanted[a] > 0) known |= 1 << a;
        var masks = new List<(int Mask, double Score)>();
        for (var mask = known; mask > 0; mask = (mask - 1) & known)
        {
            var score = 0.0;
            for (var a = 0; a < width; a++)
                if ((mask & (1 << a)) != 0) score += _weights[a];
            if (score > 0) masks.Add((mask, score));
        }
        var found = new List<string>(count);
        var tier = new List<int>();
        foreach (var scoreTier in masks.GroupBy(m => m.Score).OrderByDescending(t => t.Key))
        {
            if (found.Count == count) break;
            tier.Clear();
            foreach (var (mask, _) in scoreTier)
            {
                int[]? rarest = null;
                for (var a = 0; a < width; a++)
                    if ((mask & (1 << a)) != 0 && _groupsWithValue[a][wanted[a]] is var groups && (rarest is null || groups.Length < rarest.Length))
                        rarest = groups;
                foreach (var g in rarest!)
                    if (MatchMask(wanted, g) == mask) tier.Add(g);
            }
            TakeTier(tier, count, found);
        }
        return found;
    }

    private int MatchMask(int[] wanted, int group)
    {
        var width = wanted.Length;
        var mask = 0;
        for (var a = 0; a < width; a++)
            if (wanted[a] == _groupValues[group * width + a]) mask |= 1 << a;
        return mask;
    }

    /// <summary>Every group scored: for more attributes than bit masks enumerate cheaply.</summary>
    private List<string> FindByScan(int[] wanted, int count)
    {
        var width = wanted.Length;
        // Scores are sums of a few weights, so there are few distinct ones: count the members per score, then read only the
        // best tiers (this runs once per distinct visitor profile, over every group of past visitors).
        var scores = new double[_groups.Count];
        var membersByScore = new Dictionary<double, int>();
        for (var g = 0; g < _groups.Count; g++)
        {
            var score = 0.0;
            for (var a = 0; a < width; a++)
                if (wanted[a] == _groupValues[g * width + a]) score += _weights[a];
            scores[g] = score;
            if (score > 0) membersByScore[score] = membersByScore.GetValueOrDefault(score) + _groups[g].Members.Count;
        }

        var found = new List<string>(count);
        foreach (var score in membersByScore.Keys.OrderByDescending(s => s))
        {
            if (found.Count == count) break;
            var tier = new List<int>();
            for (var g = 0; g < _groups.Count; g++)
                if (scores[g] == score) tier.Add(g);
            TakeTier(tier, count, found);
        }
        return found;
    }

    /// <summary>Adds the members of one tier of equally scored groups to <paramref name="found"/>, up to <paramref name="count"/>.</summary>
    private void TakeTier(List<int> tier, int count, List<string> found)
    {
        // One tier of equal scores: its members in the seeded order. Each group holds its members in that order, so only
        // the groups whose first members are among the tier's first `needed` can contribute; their members are merged.
        var needed = count - found.Count;
        var firsts = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var g in tier)
        {
            var first = _groups[g].Members[0].Rank;
            if (firsts.Count < needed) firsts.Enqueue(g, first);
            else if (firsts.TryPeek(out _, out var worst) && first < worst) firsts.EnqueueDequeue(g, first);
        }
        var heads = new PriorityQueue<(int Group, int At), int>();
        while (firsts.TryDequeue(out var g, out var rank)) heads.Enqueue((g, 0), rank);
        while (found.Count < count && heads.TryDequeue(out var head, out _))
        {
            var members = _groups[head.Group].Members;
            found.Add(members[head.At].Key);
            if (head.At + 1 < members.Count) heads.Enqueue((head.Group, head.At + 1), members[head.At + 1].Rank);
        }
    }

    private static string? Normalise(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}
