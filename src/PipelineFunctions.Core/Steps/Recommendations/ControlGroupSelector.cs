using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Picks the control group: round(n x percentage / 100) visitors (midpoint away from zero) out of those with
/// recommendations, by a Fisher-Yates shuffle seeded with the configured seed over the badge ids sorted ordinally.
/// </summary>
internal sealed class ControlGroupSelector(ControlGroupSettings settings)
{
    private readonly ControlGroupSettings _settings = settings ?? throw new ArgumentNullException(nameof(settings));

    public IReadOnlySet<string> Select(IEnumerable<string> badgeIdsWithRecommendations)
    {
        ArgumentNullException.ThrowIfNull(badgeIdsWithRecommendations);
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (!_settings.Enabled) return result;

        var ids = badgeIdsWithRecommendations.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        var percentage = Math.Clamp(_settings.Percentage, 0, 100);
        var size = (int)Math.Round(ids.Length * percentage / 100.0, MidpointRounding.AwayFromZero);
        size = Math.Clamp(size, 0, ids.Length);

        var random = new Random(_settings.Seed);
        for (var i = ids.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        for (var i = 0; i < size; i++) result.Add(ids[i]);
        return result;
    }
}
