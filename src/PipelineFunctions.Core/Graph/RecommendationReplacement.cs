namespace PipelineFunctions.Core.Graph;

/// <summary>
/// The arguments of one <see cref="IAgendaGraph.StoreRecommendationsAsync"/> call, checked the same way by every adapter
/// before it writes anything: the visitors whose links are replaced and the control group among them.
/// </summary>
public sealed class RecommendationReplacement
{
    private RecommendationReplacement(HashSet<string> visitors, HashSet<string> controlGroup) =>
        (Visitors, ControlGroup) = (visitors, controlGroup);

    /// <summary>The badge ids whose IS_RECOMMENDED links are replaced (ordinal, duplicates folded).</summary>
    public HashSet<string> Visitors { get; }

    /// <summary>The control-group members, all among <see cref="Visitors"/>.</summary>
    public HashSet<string> ControlGroup { get; }

    /// <exception cref="ArgumentException">A link or control-group member is not among <paramref name="badgeIds"/>, or a
    /// score is not finite: links outside the replaced set would be added without replacing anything, a caller bug.</exception>
    public static RecommendationReplacement Check(IReadOnlyList<string> badgeIds, IReadOnlyList<RecommendationLink> links,
        IReadOnlyCollection<string> controlGroup)
    {
        ArgumentNullException.ThrowIfNull(badgeIds);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(controlGroup);
        var visitors = new HashSet<string>(badgeIds, StringComparer.Ordinal);
        var control = new HashSet<string>(controlGroup, StringComparer.Ordinal);
        for (var i = 0; i < links.Count; i++)
        {
            if (!visitors.Contains(links[i].BadgeId))
                throw new ArgumentException(
                    $"links[{i}]: visitor '{links[i].BadgeId}' is not among the badge ids whose recommendations are replaced", nameof(links));
            if (!double.IsFinite(links[i].SimilarityScore))
                throw new ArgumentException($"links[{i}]: similarity score {links[i].SimilarityScore} is not a finite number", nameof(links));
        }
        foreach (var member in control)
            if (!visitors.Contains(member))
                throw new ArgumentException(
                    $"control-group visitor '{member}' is not among the badge ids whose recommendations are replaced", nameof(controlGroup));
        return new RecommendationReplacement(visitors, control);
    }
}
