using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

/// <summary>
/// The similar-visitor search against its definition, worked out by brute force: every past visitor scored by the sum
/// of the weights of the attributes equal to the visitor's (trimmed, case-insensitive, blank never matching), best score
/// first, equal scores in the seeded order (past visitors by key, shuffled with the seed), top N with a positive score.
/// The weights are the shipped ones, whose sums tie across different attributes (0.8 + 0.8 = 1.6 either way).
/// </summary>
public sealed class SimilarVisitorFinderTests
{
    private static readonly double[] Weights = [0.8, 0.8, 0.8, 0.5];
    private static readonly string?[][] Values =
    [
        ["Vet/Vet Surgeon", "vet nurse", " Student", null, ""],
        ["Small Animal", "Equine", "Mixed", null],
        ["Independent Practice", "Corporate Group Practice", "University"],
        ["United Kingdom", "Ireland", "france", "France "],
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
    public void Finds_the_best_scored_past_visitors_in_the_seeded_order(int count)
    {
        var random = new Random(5);
        string?[] Profile() => [.. Values.Select(v => v[random.Next(v.Length)])];
        var past = Enumerable.Range(0, 400).Select(i => new PastVisitorProfile($"0|P{i:000}", Profile())).ToList();
        var finder = new SimilarVisitorFinder(Weights, past, seed: 11);

        var seeded = past.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        new Random(11).Shuffle(seeded);
        for (var query = 0; query < 200; query++)
        {
            var visitor = Profile();
            var expected = seeded.Select((p, rank) => (p.Key, Rank: rank, Score: Score(visitor, p.Attributes)))
                .Where(p => p.Score > 0).OrderByDescending(p => p.Score).ThenBy(p => p.Rank).Take(count).Select(p => p.Key);
            Assert.Equal(expected, finder.Find(visitor, count));
        }
    }

    /// <summary>
    /// Many attributes (the search enumerates subsets of up to 12, and scores every past visitor beyond), some weighted 0 or
    /// alike, with few values each so that visitors share some answers and not others.
    /// </summary>
    [Theory]
    [InlineData(6)]
    [InlineData(14)]
    public void Finds_the_best_scored_past_visitors_with_many_attributes(int attributes)
    {
        var random = new Random(attributes);
        var weights = Enumerable.Range(0, attributes).Select(a => a % 5 == 4 ? 0 : 0.1 * (1 + a % 3)).ToArray();
        string?[] Profile() => [.. Enumerable.Range(0, attributes).Select(_ => random.Next(5) switch { 0 => null, var v => $"v{v % 3}" })];
        var past = Enumerable.Range(0, 300).Select(i => new PastVisitorProfile($"0|P{i:000}", Profile())).ToList();
        var finder = new SimilarVisitorFinder(weights, past, seed: 3);

        var seeded = past.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        new Random(3).Shuffle(seeded);
        for (var query = 0; query < 100; query++)
        {
            var visitor = Profile();
            var expected = seeded.Select((p, rank) => (p.Key, Rank: rank, Score: Score(visitor, p.Attributes, weights)))
                .Where(p => p.Score > 0).OrderByDescending(p => p.Score).ThenBy(p => p.Rank).Take(5).Select(p => p.Key);
            Assert.Equal(expected, finder.Find(visitor, 5));
        }
    }

    private static double Score(IReadOnlyList<string?> visitor, IReadOnlyList<string?> past) => Score(visitor, past, Weights);

    private static double Score(IReadOnlyList<string?> visitor, IReadOnlyList<string?> past, double[] weights)
    {
        var score = 0.0;
        for (var a = 0; a < weights.Length; a++)
            if (Normalise(visitor[a]) is { } value && value == Normalise(past[a])) score += weights[a];
        return score;
    }

    private static string? Normalise(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
}
