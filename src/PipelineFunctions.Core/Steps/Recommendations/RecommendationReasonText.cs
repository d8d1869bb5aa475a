using System.Collections.Concurrent;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Recommendations;

/// <summary>
/// Renders a recommendation's reason (a <see cref="RecommendationReasonCode"/> and its argument) as short English
/// text; called only for the sessions the fan-in recommends (docs/recommendation-reasons.md).
/// </summary>
internal sealed class RecommendationReasonText
{
    /// <summary>Visitor attributes named in "popular with visitors like you (...)": the most weighted ones the visitor answered.</summary>
    public const int AttributesNamed = 2;

    private readonly IReadOnlyList<string> _pastSessionIds;
    private readonly IReadOnlyDictionary<string, string> _pastTitles;
    private readonly int[] _attributeColumns; // similarity attributes by weight (then config order), as export column indexes

    // Every text but "popular with visitors like you" depends on the code, the argument and at most the session: a large
    // show's millions of reasons are a few thousand texts, each made once (exports render on several threads at once).
    private readonly ConcurrentDictionary<(RecommendationReasonCode Code, int Argument, string? SessionId), string> _texts = new();

    /// <param name="pastSessionIds">Past sessions in the scoring context's order (what an argument indexes).</param>
    /// <param name="pastTitles">Their titles by session id.</param>
    /// <param name="visitorColumns">The export columns a visitor's values come in (<see cref="RecommendationExports.VisitorColumns"/>).</param>
    public RecommendationReasonText(EventConfig config, IReadOnlyList<string> pastSessionIds, IReadOnlyDictionary<string, string> pastTitles,
        IReadOnlyList<string> visitorColumns)
    {
        _pastSessionIds = pastSessionIds;
        _pastTitles = pastTitles;
        var attributes = config.Recommendation.SimilarityAttributes.ToList();
        _attributeColumns = [.. attributes.Select((a, order) => (a.Key, a.Value, order)).OrderByDescending(a => a.Value).ThenBy(a => a.order)
            .Select(a => visitorColumns.ToList().IndexOf(a.Key)).Where(c => c >= 0)];
    }

    /// <param name="visitorValues">The visitor's values of the export columns.</param>
    public string Render(RecommendationReasonCode code, int argument, RecommendableSession session, IReadOnlyList<string> visitorValues)
    {
        if (code == RecommendationReasonCode.PopularWithSimilarVisitors) return Similar(visitorValues);
        var bySession = code is RecommendationReasonCode.MatchesSpecialisation or RecommendationReasonCode.MatchesJobRole ? session.SessionId : null;
        return _texts.GetOrAdd((code, argument, bySession), static (key, made) => made.Text.Text(key.Code, key.Argument, made.Session),
            (Text: this, Session: session));
    }

    private string Text(RecommendationReasonCode code, int argument, RecommendableSession session) =>
        code switch
        {
            RecommendationReasonCode.AttendedBefore => $"you attended \"{PastTitle(argument)}\" at a past show",
            RecommendationReasonCode.MatchesSpecialisation => $"matches your interest in {Stream(session, argument)}",
            RecommendationReasonCode.MatchesJobRole => $"{Stream(session, argument)} is relevant to your job role",
            RecommendationReasonCode.PopularBefore when argument >= 0 => $"close to \"{PastTitle(argument)}\", popular at past shows",
            RecommendationReasonCode.PopularBefore => "popular at past shows",
            _ => "",
        };

    private string Similar(IReadOnlyList<string> visitorValues)
    {
        // A loop, not LINQ: this runs for most recommendations of a large show's new visitors.
        var named = new List<string>(AttributesNamed);
        foreach (var column in _attributeColumns)
        {
            if (column >= visitorValues.Count) continue;
            var value = visitorValues[column].Trim();
            if (value.Length == 0) continue;
            named.Add(value);
            if (named.Count == AttributesNamed) break;
        }
        return named.Count == 0 ? "popular with visitors like you" : $"popular with visitors like you ({string.Join(", ", named)})";
    }

    private string PastTitle(int argument)
    {
        if (argument < 0 || argument >= _pastSessionIds.Count) return "a past session";
        var id = _pastSessionIds[argument];
        return _pastTitles.TryGetValue(id, out var title) && title.Trim().Length > 0 ? title.Trim() : id;
    }

    private static string Stream(RecommendableSession session, int argument) =>
        argument >= 0 && argument < session.Streams.Count ? session.Streams[argument].Trim() : string.Join(";", session.Streams);
}
