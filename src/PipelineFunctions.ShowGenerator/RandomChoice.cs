namespace PipelineFunctions.ShowGenerator;

/// <summary>The draws the generator makes, all from a caller's seeded <see cref="Random"/>.</summary>
internal static class RandomChoice
{
    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static bool Chance(this Random rng, double probability) => rng.NextDouble() < probability;

    /// <summary>An integer in [min, max], both ends included.</summary>
    public static int Between(this Random rng, int min, int max) => rng.Next(min, max + 1);

    public static T PickWeighted<T>(this Random rng, IReadOnlyList<T> items, Func<T, double> weight)
    {
        var total = 0.0;
        foreach (var item in items) total += weight(item);
        var target = rng.NextDouble() * total;
        foreach (var item in items)
        {
            target -= weight(item);
            if (target < 0) return item;
        }
        return items[^1];
    }

    /// <summary><paramref name="count"/> distinct items in random order (all of them when there are fewer).</summary>
    public static List<T> PickDistinct<T>(this Random rng, IReadOnlyList<T> items, int count)
    {
        var copy = items.ToArray();
        var take = Math.Min(count, copy.Length);
        for (var i = 0; i < take; i++)
        {
            var j = rng.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.Take(take).ToList();
    }

    /// <summary><paramref name="count"/> distinct items, kept in their original order.</summary>
    public static List<T> PickSubsetInOrder<T>(this Random rng, IReadOnlyList<T> items, int count)
    {
        var chosen = rng.PickDistinct(Enumerable.Range(0, items.Count).ToList(), count);
        chosen.Sort();
        return chosen.Select(i => items[i]).ToList();
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Gaussian(this Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A child generator: components draw from their own sequence, so changing one leaves the others' output alone.</summary>
    public static Random Fork(this Random rng) => new(rng.Next());
}
