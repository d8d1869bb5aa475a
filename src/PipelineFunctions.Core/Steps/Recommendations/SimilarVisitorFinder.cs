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
        _groups = [.. bySignature.Values];
    }

    /// <summary>The keys of the top <paramref name="count"/> past visitors with a positive score, best first.</summary>
    public IReadOnlyList<string> Find(IReadOnlyList<string?> attributes, int count)
    {
        var values = attributes.Select(Normalise).ToArray();
        // Scores are sums of a few weights, so there are few distinct ones: bucket the groups by score instead of
        // sorting them all (this runs once per distinct visitor profile, over every group of past visitors).
        var tiers = new Dictionary<double, List<int>>();
        for (var g = 0; g < _groups.Count; g++)
        {
            var score = 0.0;
            for (var a = 0; a < values.Length; a++)
                if (values[a] is not null && values[a] == _groups[g].Values[a]) score += _weights[a];
            if (score <= 0) continue;
            if (!tiers.TryGetValue(score, out var tier)) tiers[score] = tier = [];
            tier.Add(g);
        }

        var found = new List<string>(count);
        foreach (var score in tiers.Keys.OrderByDescending(s => s))
        {
            // One tier of equal scores: its members in the seeded order. Each group holds its members in that order, so the
            // tier's first members are merged from the groups' heads: a low tier can hold most past visitors.
            var heads = new PriorityQueue<(int Group, int At), int>();
            foreach (var g in tiers[score]) heads.Enqueue((g, 0), _groups[g].Members[0].Rank);
            while (found.Count < count && heads.TryDequeue(out var head, out _))
            {
                var members = _groups[head.Group].Members;
                found.Add(members[head.At].Key);
                if (head.At + 1 < members.Count) heads.Enqueue((head.Group, head.At + 1), members[head.At + 1].Rank);
            }
            if (found.Count == count) break;
        }
        return found;
    }

    private static string? Normalise(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}
